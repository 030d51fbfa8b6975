"""How labels/validation_sample3.json was drawn (stop 21): validation-quarter rows in neither
sample 1 nor sample 2, up to 40 whose notes hold written arithmetic and 20 whose do not,
seeded; it also wrote the labellers' input files.  Kept to show the draw; rerunning it
rewrites the same sample."""
import csv
import json
import os
import random
import re
import sys

sys.path.insert(0, 'benchmarks')
from split import is_validation
csv.field_size_limit(sys.maxsize)
rows = list(csv.DictReader(open('/work/shared/corpus/epoch_models_dev.csv', encoding='utf-8', newline='')))
done = {x['row'] for f in ('validation_sample.json', 'validation_sample2.json')
        for x in json.load(open(f'benchmarks/labels/{f}'))}
notes = [k for k in rows[0] if k.endswith(' notes') and k != 'Notability criteria notes']
CALC = re.compile(r"\d\s*(?:[*×x/^]|times|divided by|multiplied by)\s*\d|\d[^=\n]{0,40}(?:=|≈|~=|->)\s*~?\d", re.I)
pool = {'calc': [], 'other': []}
for i, r in enumerate(rows):
    if i in done or not is_validation(r['Model']):
        continue
    text = "\n".join(r[k] for k in notes)
    if not text.strip():
        continue
    pool['calc' if CALC.search(text) else 'other'].append(i)
print({k: len(v) for k, v in pool.items()})
rng = random.Random("val-v2-sample3")
pick = [(i, 'calc') for i in rng.sample(pool['calc'], min(40, len(pool['calc'])))] + \
    [(i, 'other') for i in rng.sample(pool['other'], 20)]
pick.sort()
json.dump([{'row': i, 'Model': rows[i]['Model'], 'stratum': s} for i, s in pick], open('benchmarks/labels/validation_sample3.json', 'w'), indent=1, ensure_ascii=False)
FIELDS = ['Parameters', 'Training compute (FLOP)', 'Training dataset size (datapoints)', 'Epochs', 'Training time (hours)', 'Training hardware', 'Hardware quantity', 'Hardware utilization', 'Batch size', 'Finetune compute (FLOP)']

os.makedirs('/tmp/label_batches3', exist_ok=True)
for b in range(4):
    out = []
    for i, s in pick[b::4]:
        r = rows[i]
        out.append(f"## row {i}: entry {r['Model']!r}\n")
        for k in FIELDS + notes:
            if r.get(k, '').strip():
                out.append(f"### {k}\n{r[k]}\n")
        out.append("\n")
    open(f'/tmp/label_batches3/batch{b+1}.md', 'w').write("\n".join(out))
    print(b+1, len(pick[b::4]), len("".join(out)))
