"""How the blind validation samples 2 and 3 were drawn, and their labellers' input files.

    python benchmarks/labels/draw_sample.py 2    # stop 20: 40 rows with written arithmetic, 24 without
    python benchmarks/labels/draw_sample.py 3    # stop 21: 40 and 20
    python benchmarks/labels/draw_sample.py dev  # stop 22: 48 and 12 from the dev quarters
    python benchmarks/labels/draw_sample.py dev2 # stop 22, later: 48 and 12 more
    python benchmarks/labels/draw_sample.py dev3 # stop 24: 48 and 12 more

Each numbered sample draws, seeded, from the validation-quarter rows in no earlier sample;
the dev sample draws from the other three quarters, from rows labelled.yaml does not cover
(its labels are development material: classes found on them may be fixed).  Each writes
labels/validation_sampleN.json (dev: labels/dev_sample.json) and the four batches the
labellers read.  Kept to show the draws; rerunning one rewrites the same sample.
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
SAMPLES = {2: (40, 24, '/tmp/label_batches'), 3: (40, 20, '/tmp/label_batches3'),
           'dev': (48, 12, '/tmp/label_batches_dev'), 'dev2': (48, 12, '/tmp/label_batches_dev2'),
           'dev3': (48, 12, '/tmp/label_batches_dev3')}
EARLIER = {1: 'validation_sample.json', 2: 'validation_sample2.json'}


def draw(sample) -> None:
    n_calc, n_other, batches = SAMPLES[sample]
    csv.field_size_limit(sys.maxsize)
    with open(CSV, encoding='utf-8', newline='') as fh:
        rows = list(csv.DictReader(fh))
    done = set()
    quarter = is_validation
    dev = str(sample).startswith('dev')
    if dev:
        import yaml
        with open('benchmarks/labelled.yaml') as fh:
            labelled = {c['entry'].strip() for c in yaml.safe_load(fh)}
        done = {i for i, r in enumerate(rows) if r['Model'].strip() in labelled}
        for earlier in {'dev2': ['dev'], 'dev3': ['dev', 'dev2']}.get(sample, []):
            with open(f'{LABELS}/{earlier}_sample.json') as fh:
                done |= {x['row'] for x in json.load(fh)}
        quarter = lambda model: not is_validation(model)  # noqa: E731
    for k, f in EARLIER.items():
        if not dev and k < sample:
            with open(f'{LABELS}/{f}') as fh:
                done |= {x['row'] for x in json.load(fh)}
    notes = [k for k in rows[0] if k.endswith(' notes') and k != 'Notability criteria notes']
    pool = {'calc': [], 'other': []}
    for i, r in enumerate(rows):
        if i in done or not quarter(r['Model']):
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
    name = f'{sample}_sample.json' if dev else f'validation_sample{sample}.json'
    with open(f'{LABELS}/{name}', 'w') as fh:
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
    draw(sys.argv[1] if sys.argv[1].startswith('dev') else int(sys.argv[1]))
