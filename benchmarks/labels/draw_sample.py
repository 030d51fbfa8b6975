"""How the blind validation samples 2 and 3 were drawn, and their labellers' input files.

    python benchmarks/labels/draw_sample.py 2    # stop 20: 40 rows with written arithmetic, 24 without
    python benchmarks/labels/draw_sample.py 3    # stop 21: 40 and 20

Each draws, seeded, from the validation-quarter rows in no earlier sample, writes
labels/validation_sampleN.json and the four batches the labellers read.  Kept to show the
draws; rerunning one rewrites the same sample.
"""
import csv
import json
import os
import random
import re
import sys

sys.path.insert(0, 'benchmarks')
from split import is_validation

CSV = '/work/shared/corpus/epoch_models_dev.csv'
LABELS = 'benchmarks/labels'
CALC = re.compile(r"\d\s*(?:[*×x/^]|times|divided by|multiplied by)\s*\d|\d[^=\n]{0,40}(?:=|≈|~=|->)\s*~?\d", re.IGNORECASE)
FIELDS = ['Parameters', 'Training compute (FLOP)', 'Training dataset size (datapoints)', 'Epochs', 'Training time (hours)', 'Training hardware', 'Hardware quantity', 'Hardware utilization', 'Batch size', 'Finetune compute (FLOP)']
# sample: (rows with written arithmetic, rows without, where the labellers' batches go)
SAMPLES = {2: (40, 24, '/tmp/label_batches'), 3: (40, 20, '/tmp/label_batches3')}
EARLIER = {1: 'validation_sample.json', 2: 'validation_sample2.json'}


def draw(sample: int) -> None:
    n_calc, n_other, batches = SAMPLES[sample]
    csv.field_size_limit(sys.maxsize)
    with open(CSV, encoding='utf-8', newline='') as fh:
        rows = list(csv.DictReader(fh))
    done = set()
    for k, f in EARLIER.items():
        if k < sample:
            with open(f'{LABELS}/{f}') as fh:
                done |= {x['row'] for x in json.load(fh)}
    notes = [k for k in rows[0] if k.endswith(' notes') and k != 'Notability criteria notes']
    pool = {'calc': [], 'other': []}
    for i, r in enumerate(rows):
        if i in done or not is_validation(r['Model']):
            continue
        text = "\n".join(r[k] for k in notes)
        if not text.strip():
            continue
        pool['calc' if CALC.search(text) else 'other'].append(i)
    print({k: len(v) for k, v in pool.items()})
    rng = random.Random(f"val-v2-sample{sample}")
    pick = [(i, 'calc') for i in rng.sample(pool['calc'], min(n_calc, len(pool['calc'])))] + \
        [(i, 'other') for i in rng.sample(pool['other'], n_other)]
    pick.sort()
    with open(f'{LABELS}/validation_sample{sample}.json', 'w') as fh:
        json.dump([{'row': i, 'Model': rows[i]['Model'], 'stratum': s} for i, s in pick], fh,
                  indent=1, ensure_ascii=False)
    os.makedirs(batches, exist_ok=True)
    for b in range(4):
        out = []
        for i, s in pick[b::4]:
            r = rows[i]
            out.append(f"## row {i}: entry {r['Model']!r}\n")
            for k in FIELDS + notes:
                if r.get(k, '').strip():
                    out.append(f"### {k}\n{r[k]}\n")
            out.append("\n")
        with open(f'{batches}/batch{b+1}.md', 'w') as fh:
            fh.write("\n".join(out))
        print(b+1, len(pick[b::4]), len("".join(out)))


if __name__ == '__main__':
    draw(int(sys.argv[1]))
