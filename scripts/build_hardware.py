#!/usr/bin/env python3
"""Build rules/hardware.yaml from Epoch AI's machine-learning hardware table.

Usage:
    python scripts/build_hardware.py epoch_ml_hardware.csv rules/hardware.yaml

Data: Epoch AI (epoch.ai), "Machine learning hardware", CC BY 4.0.

What it does, in order:
  1. reads every row of the CSV (one row = one chip, kept in CSV order);
  2. maps the CSV's performance columns to precision keys (COLUMNS, then the
     FP16 rules below), keeping dense figures only;
  3. applies the hand-checked corrections in OVERRIDES;
  4. generates the names people write in free text (aliases) from each
     "Hardware name", adds the hand-written ALIASES, and makes every alias
     point at exactly one chip (DEFAULTS settles the shared short names);
  5. writes the YAML and prints every alias collision it resolved to stderr.

Standard library + PyYAML only.  PyYAML is used to check that every scalar we
write comes back as the same string, and to re-read the finished file.
"""

import csv
import json
import re
import sys

import yaml

TERA = 1e12

# --------------------------------------------------------------------------- columns

# CSV column -> precision key.  "tensor16" is Epoch's "Tensor-FP16/BF16" column,
# which becomes bf16 and fp16 (see TENSOR_FP16_ONLY / TENSOR_BF16_ONLY).
# INT16 and INT4 are not kept; INT8 is OP/s, not FLOP/s, but notes quote it.
COLUMNS = [
    ("fp64", "FP64 (double precision) performance (FLOP/s)"),
    ("fp32", "FP32 (single precision) performance (FLOP/s)"),
    ("tf32", "TF32 (TensorFloat-32) performance (FLOP/s)"),
    ("tensor16", "Tensor-FP16/BF16 performance (FLOP/s)"),
    ("fp16_column", "FP16 (half precision) performance (FLOP/s)"),
    ("fp8", "FP8 performance (FLOP/s)"),
    ("int8", "INT8 performance (OP/s)"),
    ("fp4", "FP4 performance (FLOP/s)"),
]

# Order of the keys under peak_flops in the output.
PRECISIONS = ["fp64", "fp32", "tf32", "bf16", "fp16", "fp16_nontensor", "fp8", "int8", "fp4"]

# Chips whose tensor-core figure is FP16 only: Volta and Turing have no BF16.
TENSOR_FP16_ONLY = {
    "NVIDIA Tesla V100S PCIe 32 GB",
    "NVIDIA Tesla V100 DGXS 16 GB",
    "NVIDIA Tesla V100 PCIe 32 GB",
    "NVIDIA Tesla V100 DGXS 32 GB",
    "NVIDIA Tesla V100 SXM3 32 GB",
    "NVIDIA Tesla V100 SXM2 32 GB",
    "NVIDIA Tesla V100 SXM2",
    "NVIDIA Tesla V100 SXM2 16 GB",
    "NVIDIA Tesla V100 PCIe 16 GB",
    "NVIDIA V100",
    "NVIDIA GeForce RTX 2080 Ti 11GB",
}


def tensor_is_bf16_only(row):
    """Google TPUs' matrix units take bfloat16 (and int8/fp8), never IEEE FP16."""
    return row["Manufacturer"].strip() == "Google"


def fp16_column_is_matrix(row):
    """Chips whose "FP16 (half precision)" cell is the matrix-engine figure.

    For NVIDIA parts the column is the non-tensor (CUDA core) FP16 rate, e.g.
    A100 78 TFLOP/s, V100 31.4, and becomes `fp16_nontensor`.  For these
    accelerators it is the matrix-unit rate (Ascend 910: 256 TFLOP/s FP16 from
    its Cube units; AMD Instinct: the matrix-core figure), so it is a tensor
    `fp16` figure when the tensor column is empty, and a duplicate otherwise.
    """
    maker = row["Manufacturer"].strip()
    name = row["Hardware name"]
    return (maker in {"Huawei", "Cambricon", "Kunlunxin Baidu", "Iluvatar CoreX", "MetaX"}
            or (maker == "AMD" and "Instinct" in name)
            or name == "GroqChip LPU v1")        # 188 TFLOP/s FP16 is its matrix (MXM) rate


# --------------------------------------------------------------------------- corrections

# Hand-checked corrections, applied after the column mapping.  Values in
# FLOP/s (dense, never the 2:4 sparse figure); None removes a key.
OVERRIDES = {
    # --- Turing Quadro cards: the CSV lacks their tensor-core FP16 (NVIDIA Quadro RTX
    # datasheets: RTX 8000/6000 130.5, RTX 5000 89.2, RTX 4000 57.0 TFLOP/s dense).
    "NVIDIA Quadro RTX 8000": {"fp16": 130.5 * TERA},
    "NVIDIA Quadro RTX 6000": {"fp16": 130.5 * TERA},
    "NVIDIA Quadro RTX 5000": {"fp16": 89.2 * TERA},
    "NVIDIA Quadro RTX 4000": {"fp16": 57.0 * TERA},
    # --- Hopper: the CSV's FP8 cell is empty; Hopper runs FP8 at 2x BF16 (dense).
    "NVIDIA H100 SXM5 80GB": {"fp8": 1979 * TERA},
    "NVIDIA H100 PCIe": {
        "fp8": 1513 * TERA,
        # CSV 204.9 = 4x FP32, the A100 ratio.  Hopper's non-tensor FP16 is 2x FP32
        # (H100 whitepaper: SXM5 133.8 = 2 x 66.9), so PCIe is 2 x 51.2.
        "fp16_nontensor": 102.4 * TERA,
    },
    "NVIDIA H800 SXM5": {"fp8": 1979 * TERA},
    "NVIDIA HGX H20": {"fp8": 296 * TERA},
    "NVIDIA GH200": {"fp8": 1979 * TERA},
    "NVIDIA GH100": {"fp8": 1979 * TERA},
    # H100 NVL (per GPU, datasheet: BF16 1671 / FP8 3341 / TF32 835 sparse; FP32 60,
    # FP64 30).  The CSV put the dense BF16 figure 835.5 in the non-tensor FP16 column.
    "NVIDIA H100 NVL": {
        "bf16": 835.5 * TERA,
        "fp16": 835.5 * TERA,
        "fp16_nontensor": None,
        "fp8": 1670.5 * TERA,
        "tf32": 417.5 * TERA,
        "fp32": 60 * TERA,
        "fp64": 30 * TERA,
    },
    # B200 (HGX B200 datasheet): TF32 1.1 PFLOP/s dense, FP32 75; the CSV has
    # 1125 and 62.08 (a lower-clock third-party figure).
    "NVIDIA B200": {"tf32": 1100 * TERA, "fp32": 75 * TERA},
    # --- GeForce cards: the tensor figure in the CSV is the FP16-accumulate rate;
    # BF16 (FP32 accumulate) runs at half of it.  Ada whitepaper for the 4090,
    # Ampere GA102 whitepaper for the 3090 / 3090 Ti.
    "NVIDIA GeForce RTX 4090": {
        "bf16": 165.2 * TERA,
        "fp16": 330.3 * TERA,      # FP16 with FP16 accumulate
        "fp8": 330.3 * TERA,       # FP8 with FP32 accumulate (660.6 with FP16 accumulate)
    },
    "NVIDIA GeForce RTX 3090": {   # CSV has no tensor figures
        "bf16": 71.17 * TERA,
        "fp16": 142.3 * TERA,      # FP16 with FP16 accumulate
        "tf32": 35.58 * TERA,
    },
    "NVIDIA GeForce RTX 3090 Ti": {"bf16": 80 * TERA},
    # RTX A6000 (professional GA102, full-rate FP32 accumulate): CSV has no tensor figures.
    "NVIDIA RTX A6000": {"bf16": 154.8 * TERA, "fp16": 154.8 * TERA, "tf32": 77.4 * TERA},
    # T4: the CSV's "FP16" 65.13 is the tensor-core figure (8x FP32), not CUDA-core FP16.
    "NVIDIA Tesla T4": {"fp16": 65.13 * TERA, "fp16_nontensor": None},
    # --- AMD CDNA3: FP8 cell empty; FP8 runs at 2x BF16 (INT8 column shows the same rate).
    "AMD Instinct MI300X": {"fp8": 2615 * TERA},
    "AMD Instinct MI325X": {"fp8": 2615 * TERA},
}
# Known oddities deliberately left as the CSV has them:
#  - MI250X "TF32" 95.7 is AMD's FP32 *matrix* rate (CDNA2 has no TF32).
#  - "AMD Radeon Instinct MI300" is a pre-launch placeholder row (its figures are
#    MI250X's); bare "MI300" is therefore given to the MI300X (see DEFAULTS).
#  - TPU v6e "FP8" 918 equals its BF16 rate: Epoch counts FP8 at the bf16 rate.
#  - H800 SXM5 FP64/FP32/TF32 (29.65/59.3/454.5) come from a third-party page.

# TensorCores per chip.  TPU v2 and v3 have two per chip ("TPU v3-8" = 8 cores =
# 4 chips); so do v4 and v5p (their slice names also count TensorCores:
# "v4-8" = 4 chips), and v7 Ironwood.  v4i, v5e and v6e have one.
CORES_PER_CHIP = {
    "Google TPU v2": 2,
    "Google TPU v3": 2,
    "Google TPU v4": 2,
    "Google TPU v5p": 2,
    "Google TPU v7 Ironwood": 2,
}

# Vendor when the CSV's Manufacturer cell is empty.
VENDOR_FIX = {"GroqChip LPU v1": "Groq"}

# --------------------------------------------------------------------------- families

# Family overrides (the generation people name).  Without an entry the family
# is the model part of the name: "NVIDIA A100 SXM4 80 GB" -> "A100",
# "Google TPU v6e Trillium" -> "TPU v6e", "NVIDIA Tesla V100 PCIe 16 GB" -> "V100".
FAMILY = {
    "NVIDIA Tesla V100S PCIe 32 GB": "V100",
    "NVIDIA GH100": "H100",            # the H100 die
    "NVIDIA Tesla K40s": "K40",
    "NVIDIA Tesla K40t": "K40",
    "NVIDIA Tesla K20c": "K20",
    "NVIDIA RTX 6000 Ada Generation": "RTX 6000 Ada",
    "Huawei Ascend 910A": "Ascend 910",
    "Huawei Ascend 910A Pro": "Ascend 910",
    "Huawei Ascend 910A Premium": "Ascend 910",
    "Huawei Ascend 910B Pro": "Ascend 910B",
    "Huawei Ascend 910B1 (v1)": "Ascend 910B",
    "Huawei Ascend 910B1 (v2)": "Ascend 910B",
    "Huawei Ascend 910B2": "Ascend 910B",
    "Huawei Ascend 910B3": "Ascend 910B",
    "Huawei Ascend 910B4": "Ascend 910B",
    "Cambricon MLU370-X8": "MLU370",
    "Cambricon MLU370-X4": "MLU370",
    "Cambricon MLU370-S4/S8": "MLU370",
    "Cambricon MLU370-S8": "MLU370",
    "Cambricon MLU370-S4": "MLU370",
    "Intel Data Center GPU Max 1100": "Data Center GPU Max",
    "Intel Data Center GPU Max 1350": "Data Center GPU Max",
    "Intel Data Center GPU Max 1550": "Data Center GPU Max",
    "Intel Habana GAUDI HL-205": "Gaudi",
    "Cambricon MLU270-F4": "MLU270",
    "Cambricon MLU270-S4": "MLU270",
    "Tesla D1 Dojo": "Dojo",
    "GroqChip LPU v1": "Groq LPU",
}

# --------------------------------------------------------------------------- aliases

# Words a name may start with that people drop or swap ("NVIDIA Tesla V100",
# "Tesla V100", "V100").  Longest first.
PREFIX_WORDS = [
    "Radeon Instinct", "Tianshu Zhixin", "NVIDIA", "Google", "AMD", "Huawei", "Intel",
    "Habana", "Amazon", "AWS", "Baidu", "Meta", "Microsoft", "MetaX", "Biren", "Sunway",
    "T-Head", "Cambricon", "Tesla", "GeForce", "Quadro", "Instinct", "Radeon", "HGX", "Cloud",
]

FORM_FACTORS = {"SXM", "SXM2", "SXM3", "SXM4", "SXM5", "PCIe", "PCle", "DGXS", "NVL", "OAM"}
FORM_FIX = {"PCle": "PCIe"}        # typo in the CSV ("NVIDIA L2 PCle")

# Series words that people glue to the number ("RTX4090", "TPUv4").
GLUE_SERIES = {"RTX", "GTX", "RX", "TPU", "MTIA"}

# Hand-written aliases: chip -> extra names (the usual prefixes are added).
ALIASES = {
    "NVIDIA H100 SXM5 80GB": ["H100 80GB HBM3"],                 # nvidia-smi name
    "NVIDIA A100 PCIe": ["A100 PCIe 40GB", "A100 PCIe 80GB", "A100-PCIE-40GB", "A100-PCIE-80GB"],
    "NVIDIA A800 SXM": ["A800 SXM4", "A800 SXM4 80GB"],
    "NVIDIA H200 SXM": ["H200 SXM5", "H200 141GB"],
    "NVIDIA H800 SXM5": ["H800 80GB"],
    # K40c / K40m (and K20m) are the same GK110B (GK110) configuration and clocks as the
    # rows the CSV has; Epoch's training-hardware column uses these names.
    "NVIDIA Tesla K40s": ["K40c", "K40m"],
    "NVIDIA Tesla K20c": ["K20m"],
    "NVIDIA GeForce GTX TITAN X": ["Titan X Maxwell"],
    "NVIDIA GeForce GTX Titan Black": ["Titan Black"],     # the only Titan Black
    "Google TPU v5e": ["TPU v5 lite", "TPU v5litepod", "v5litepod"],
    "Google TPU v7 Ironwood": ["TPU7x", "TPU v7x", "Ironwood TPU"],
    "Google TPU v6e Trillium": ["Trillium TPU"],
    "AMD Instinct MI300X": ["MI300"],
    "Intel Habana GAUDI HL-205": ["Gaudi", "Gaudi1", "Gaudi 1", "HL-205"],
    "Intel Data Center GPU Max 1550": ["GPU Max 1550", "Max 1550"],
    "Intel Data Center GPU Max 1350": ["GPU Max 1350", "Max 1350"],
    "Intel Data Center GPU Max 1100": ["GPU Max 1100", "Max 1100"],
    "Tesla D1 Dojo": ["Dojo", "Dojo D1"],
    "GroqChip LPU v1": ["GroqChip", "Groq LPU", "Groq LPU v1"],
    "Maia 100 (M100)": ["Maia100", "Microsoft Maia 100"],
    "Tianshu Zhixin Tiangai 100 (BI-V100)": ["BI-V100", "Iluvatar BI-V100"],
    "MTT S4000": ["Moore Threads S4000", "Moore Threads MTT S4000"],
    "Sunway SW26010-Pro": ["SW26010 Pro"],
    # Workstation cards are often named without "RTX" in notes ("6x NVIDIA A6000").
    "NVIDIA RTX A6000": ["A6000"],
    "NVIDIA RTX A5000": ["A5000"],
    "NVIDIA RTX A4000": ["A4000"],
    "NVIDIA GeForce RTX 3090": ["3090 GPU", "RTX3090"],
    "NVIDIA GeForce RTX 4090": ["4090 GPU", "RTX4090"],
}

# When several chips claim one alias, the chip named here gets it and the others
# lose it.  Keys are written without vendor prefixes; "V100 32GB" also covers
# "NVIDIA V100 32GB", "V100-32GB", "Tesla V100 32 GB"...
DEFAULTS = {
    "H100": "NVIDIA H100 SXM5 80GB",               # DOMAIN.md: bare "H100" is the SXM part
    "A100 SXM4": "NVIDIA A100 SXM4 40 GB",         # the launch part; both SXM4 rows are 312
    "A100 SXM": "NVIDIA A100 SXM4 40 GB",
    "V100 SXM": "NVIDIA Tesla V100 SXM2",          # DOMAIN.md: the default V100 is SXM2
    "V100 SXM 32GB": "NVIDIA Tesla V100 SXM2 32 GB",
    "V100 32GB": "NVIDIA Tesla V100 SXM2 32 GB",
    "V100 16GB": "NVIDIA Tesla V100 SXM2 16 GB",
    "V100 PCIe": "NVIDIA Tesla V100 PCIe 16 GB",   # 16 and 32 GB have the same peaks
    "V100 DGXS": "NVIDIA Tesla V100 DGXS 32 GB",   # 16 and 32 GB have the same peaks
    "A800": "NVIDIA A800 SXM",                     # "NVIDIA A800" in Epoch's column
    "A800 PCIe": "NVIDIA A800 PCIe 80 GB",         # 40 and 80 GB have the same peaks
    "P100 PCIe 16GB": "NVIDIA Tesla P100 PCIe 16GB",
    "P100 PCIe": "NVIDIA Tesla P100 PCIe 16GB",
    "P100 16GB": "NVIDIA Tesla P100 PCIe 16GB",
    "K40": "NVIDIA Tesla K40s",                    # K40s and K40t have the same peaks
    "MI300": "AMD Instinct MI300X",                # the CSV's MI300 row is a placeholder
}

# Names without a digit that are still unambiguous chip names.
NAMES_WITHOUT_DIGITS = {"gaudi", "trillium", "ironwood", "dojo", "groqchip"}
WORDS_WITHOUT_DIGITS = {"titan", "gaudi", "trillium", "ironwood", "dojo", "groq", "rubin", "kunlun"}

# Letter+digit strings that are common in ML text for other reasons
# (L2 norm, Pentium 4, "D1" ...), and bare TPU versions ("BERT v2").
BLOCKED = {"l2", "l4", "p4", "d1", "m100", "v1", "v2", "v3", "v4", "v5", "v6", "v7"}


def alias_ok(alias):
    """Rule 2: at least 2 characters, a letter, and a digit or a known name."""
    a = alias.casefold()
    if len(a) < 2 or not re.search(r"[a-z]", a) or a in BLOCKED:
        return False
    if re.search(r"\d", a):
        return True
    rest = strip_prefixes(a)[1]        # "NVIDIA TITAN" is judged as "titan"
    if rest in NAMES_WITHOUT_DIGITS:
        return True
    words = rest.split()
    return len(words) >= 2 and any(w in WORDS_WITHOUT_DIGITS for w in words)


def strip_prefixes(text):
    """Remove leading PREFIX_WORDS; return (found prefixes, rest)."""
    found = []
    changed = True
    while changed:
        changed = False
        for word in PREFIX_WORDS:
            if text.casefold().startswith(word.casefold() + " "):
                found.append(text[:len(word)])
                text = text[len(word) + 1:]
                changed = True
                break
    return found, text


def norm_key(alias):
    """Spelling-insensitive key: case, spaces and hyphens ignored, '80 G' = '80GB'."""
    a = alias.casefold()
    a = re.sub(r"(\d+)\s*gb?\b", r"\1gb", a)
    return re.sub(r"[\s\-_]+", "", a)


def default_key(alias):
    """Key for DEFAULTS: norm_key without vendor/product-line prefixes."""
    return norm_key(strip_prefixes(alias)[1])


def name_prefixes(found):
    """Prefixes taken from the name itself: every ordered subset, including none.

    "NVIDIA Tesla V100 SXM2" -> "", "NVIDIA", "Tesla", "NVIDIA Tesla".
    """
    options = []
    for mask in range(2 ** len(found)):
        options.append(" ".join(p for i, p in enumerate(found) if mask >> i & 1))
    return options


def extra_prefixes(row, model):
    """Prefixes people add that the CSV name lacks; used with the bare model only."""
    maker = row["Manufacturer"].strip()
    name = row["Hardware name"]
    options = []
    if maker == "NVIDIA":
        options.append("NVIDIA")
        if re.match(r"[KMPVT]\d|A\d", model) and not re.search("Quadro|GeForce|TITAN", name,
                                                                 re.I):
            # the data-centre line was branded "Tesla" until Ampere
            options += ["Tesla", "NVIDIA Tesla"]
    if maker == "AMD" and "Instinct" in name:
        options += ["AMD", "Instinct", "AMD Instinct"]
    if maker == "Google":
        options += ["Google", "Cloud", "Google Cloud"]
    if name.startswith("Intel Habana"):
        options += ["Intel", "Habana"]
    return options


def parse_name(name):
    """Split a Hardware name into prefixes, model tokens, form factor, memory, parenthetical."""
    found, rest = strip_prefixes(name)
    paren = None
    m = re.search(r"\s*\(([^)]*)\)\s*$", rest)
    if m:
        paren = m.group(1)
        rest = rest[:m.start()]
    memory = None
    m = re.search(r"\s*\b(\d+)\s?GB\b", rest)
    if m:
        memory = m.group(1)
        rest = (rest[:m.start()] + rest[m.end():]).strip()
    tokens = rest.split()
    form = None
    for t in tokens:
        if t in FORM_FACTORS:
            form = t
    model = [t for t in tokens if t not in FORM_FACTORS]
    return found, model, form, memory, paren


def model_forms(model):
    """Spellings of the model part.

    Returns (forms, bare_only): forms take prefixes ("RTX 4090", "RTX4090",
    "Gaudi 2" for "Gaudi2"); bare_only are written
    without any prefix ("1080Ti", "1080 Ti").
    """
    forms = {" ".join(model)}
    bare_only = set()
    if len(model) >= 2 and model[0].upper() in GLUE_SERIES and re.match(r"v?\d", model[1]):
        forms.add(" ".join([model[0] + model[1]] + model[2:]))
    if len(model) >= 2 and model[-1] == "Ti" and model[-2].isdigit():
        number = model[-2]
        forms.add(" ".join(model[:-2] + [number + "Ti"]))   # "GTX 1080Ti"
        bare_only.update({number + "Ti", number + " Ti"})    # "1080Ti", "1080 Ti"
    # "GTX TITAN X" is not shortened to "TITAN X": "NVIDIA TITAN X" is also the Pascal
    # card of 2016, which the table does not have, so the short name is ambiguous
    m = re.fullmatch(r"([A-Za-z]+)(\d+)", model[0]) if len(model) == 1 else None
    if m and m.group(1).lower() in {"gaudi", "trainium", "inferentia"}:
        forms.add(m.group(1) + " " + m.group(2))            # "Gaudi2" -> "Gaudi 2"
    return forms, bare_only


def tpu_forms(version):
    """'v4' -> TPU v4, TPUv4, TPU-v4, v4 TPU (+ bare v5e / v5p / v6e / v4i)."""
    forms = {f"TPU {version}", f"TPU{version}", f"TPU-{version}", f"{version} TPU"}
    if re.fullmatch(r"v\d+[a-z]+", version):
        forms.add(version)
    return forms


def claims_for(row, family):
    """Every alias a chip claims, with its kind.

    'full': nothing but prefixes or spelling changed ("V100 SXM2" for "NVIDIA
    Tesla V100 SXM2"); 'derived': form factor, memory or a parenthetical dropped,
    or the family name; 'manual': from ALIASES.
    """
    name = row["Hardware name"]
    found, model, form, memory, paren = parse_name(name)
    own = name_prefixes(found)
    extra = extra_prefixes(row, " ".join(model))
    out = {}

    def add(alias, kind):
        alias = " ".join(alias.split())
        rank = {"manual": 0, "full": 1, "derived": 2}
        if alias and (alias not in out or rank[kind] < rank[out[alias]]):
            out[alias] = kind

    if model and model[0] == "TPU" and len(model) >= 2:
        version, codename = model[1], " ".join(model[2:])   # codename: "Trillium"
        kind = "derived" if codename else "full"
        for c in tpu_forms(version):
            add(c, kind)
        for p in own + extra:                               # "Google Cloud TPU v4"
            add(f"{p} TPU {version}", kind)
            add(f"{p} TPU{version}", kind)
        if codename:
            add(codename, "full")
            for p in own:
                add(f"{p} TPU {version} {codename}", "full")
    else:
        forms, bare_only = model_forms(model)
        canonical = " ".join(model)
        whole = not paren                  # a parenthetical dropped makes every form derived
        for f in sorted(forms):
            for p in own + extra:
                add(f"{p} {f}", "full" if whole and not form and not memory else "derived")
        for f in bare_only:
            add(f, "full" if whole and not form and not memory else "derived")
        # with form factor and/or memory, spelled like the name (prefixes from the name)
        form_opts = [(None, not form)]
        if form:
            form_opts.append((FORM_FIX.get(form, form), True))
            if re.fullmatch(r"SXM\d", form):
                form_opts.append(("SXM", False))            # "H100 SXM"
        mem_opts = [(None, not memory)]
        if memory:
            mem_opts += [(f"{memory}GB", True), (f"{memory} GB", True)]
        for f, f_full in form_opts:
            for mem, mem_full in mem_opts:
                if f is None and mem is None:
                    continue
                kind = "full" if whole and f_full and mem_full else "derived"
                for p in own:
                    add(f"{p} {canonical} {f or ''} {mem or ''}", kind)
                # nvidia-smi / paper style: "A100-SXM4-80GB", "V100-32GB", "A100-80 GB"
                if " " in canonical or (mem and " " in mem and f):
                    continue
                hyphen = "-".join(x for x in (canonical, f, mem) if x)
                for p in own:
                    add(f"{p} {hyphen}", kind)
                    if mem and " " not in mem:              # "A100-80G", "A100 80G"
                        add(f"{p} {hyphen[:-1]}", kind)
                        add(f"{p} {hyphen[:-1].replace('-', ' ')}", kind)
        if paren:
            for p in own:
                add(f"{p} {canonical} ({paren})", "full")

    for alias in ALIASES.get(name, []):
        for p in own:
            add(f"{p} {alias}", "manual")
    for p in own:
        add(f"{p} {family}", "derived")
    return out


def family_of(row):
    name = row["Hardware name"]
    if name in FAMILY:
        return FAMILY[name]
    _, model, _, _, _ = parse_name(name)
    if model and model[0] == "TPU":
        return " ".join(model[:2])
    return " ".join(model)


def resolve_aliases(rows, families, log):
    """Return {chip name: [aliases]}, each alias (case-insensitively) used once."""
    names = {r["Hardware name"] for r in rows}
    name_keys = {norm_key(n): n for n in names}
    default_keys = {norm_key(k): v for k, v in DEFAULTS.items()}
    for chip in default_keys.values():
        assert chip in names, f"DEFAULTS names an unknown chip: {chip}"
    for chip in ALIASES:
        assert chip in names, f"ALIASES names an unknown chip: {chip}"

    # key -> {chip: [best kind, set of spellings]}
    rank = {"manual": 0, "full": 1, "derived": 2}
    claims = {}
    for row in rows:
        chip = row["Hardware name"]
        for alias, kind in claims_for(row, families[chip]).items():
            if not alias_ok(alias) or alias.casefold() == chip.casefold():
                continue
            entry = claims.setdefault(norm_key(alias), {}).setdefault(chip, [None, set()])
            if entry[0] is None or rank[kind] < rank[entry[0]]:
                entry[0] = kind
            entry[1].add(alias)

    result = {r["Hardware name"]: [] for r in rows}
    collisions = []
    for key, by_chip in claims.items():
        if key in name_keys:                # a spelling of a chip's own name: that chip's
            owner = name_keys[key]
            if set(by_chip) - {owner}:
                collisions.append((key, by_chip, owner, "a spelling of that chip's own name"))
            result[owner].extend(a for _, spellings in by_chip.values() for a in spellings
                                 if a.casefold() != owner.casefold())
            continue
        if len(by_chip) == 1:
            winner, reason = next(iter(by_chip)), None
        else:
            spelled = next(iter(next(iter(by_chip.values()))[1]))
            dk = default_key(spelled)
            manual = [c for c, (kind, _) in by_chip.items() if kind == "manual"]
            full = [c for c, (kind, _) in by_chip.items() if kind == "full"]
            if dk in default_keys and default_keys[dk] in by_chip:
                winner, reason = default_keys[dk], "DEFAULTS"
            elif len(manual) == 1:
                winner, reason = manual[0], "hand-written ALIASES"
            elif len(full) == 1:
                winner, reason = full[0], "the only chip whose full name it is"
            else:
                winner, reason = None, "UNRESOLVED, dropped"
            collisions.append((key, by_chip, winner, reason))
        if winner is not None:
            result[winner].extend(by_chip[winner][1])

    # Report grouped by the prefix-free spelling, so "NVIDIA V100 32GB" and
    # "V100-32GB" show up as one line.
    grouped = {}
    for key, by_chip, winner, reason in collisions:
        spellings = sorted(s for _, (_, ss) in by_chip.items() for s in ss)
        group = (default_key(spellings[0]), tuple(sorted(by_chip)), winner, reason)
        grouped.setdefault(group, set()).update(spellings)
    for (_, chips, winner, reason), spellings in sorted(grouped.items(),
                                                          key=lambda g: (g[0][2] or "", g[0][0])):
        shortest = sorted(spellings, key=lambda s: (len(s), s))
        log(f"collision: {shortest[0]!r} (+{len(shortest) - 1} spellings) claimed by "
            f"{list(chips)} -> {winner!r} ({reason})")
    dropped = sum(1 for (_, _, winner, _) in grouped if winner is None)
    return result, len(grouped) - dropped, dropped


# --------------------------------------------------------------------------- peaks

def number(cell):
    cell = (cell or "").strip()
    return float(cell) if cell else None


def peaks_of(row):
    """Dense peak FLOP/s by precision for one CSV row, corrections applied."""
    raw = {key: number(row[column]) for key, column in COLUMNS}
    name = row["Hardware name"]
    peaks = {}
    for key in ("fp64", "fp32", "tf32", "fp8", "int8", "fp4"):
        if raw[key]:
            peaks[key] = raw[key]
    tensor = raw["tensor16"]
    if tensor:
        if not tensor_is_bf16_only(row):
            peaks["fp16"] = tensor
        if name not in TENSOR_FP16_ONLY:
            peaks["bf16"] = tensor
    fp16_column = raw["fp16_column"]
    if fp16_column:
        if fp16_column_is_matrix(row):
            if not tensor:
                peaks["fp16"] = fp16_column
        elif tensor and abs(fp16_column - tensor) <= 0.02 * tensor:
            pass        # the tensor figure again (Trainium, B200, GB200...), not a CUDA-core rate
        else:
            peaks["fp16_nontensor"] = fp16_column
    for key, value in OVERRIDES.get(name, {}).items():
        assert key in PRECISIONS, f"{name}: unknown precision {key}"
        if value is None:
            peaks.pop(key, None)
        else:
            peaks[key] = float(value)
    return {k: peaks[k] for k in PRECISIONS if k in peaks}


# --------------------------------------------------------------------------- output

HEADER = """\
# Dense peak FLOP/s per chip, by precision.
# Built by scripts/build_hardware.py from Epoch AI's machine-learning hardware table
# (Data: Epoch AI, epoch.ai, CC BY 4.0), with the corrections listed in that script.
# Do not edit by hand: edit the script's OVERRIDES / ALIASES and rebuild.
"""


def scalar(text, in_flow=False):
    """A YAML scalar: plain when it reads back as the same string, else double-quoted."""
    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .()/+\-_]*", text) and not text.endswith(" ")
    if plain:
        probe = f"[{text}]" if in_flow else f"k: {text}"
        loaded = yaml.safe_load(probe)
        if (loaded == [text]) if in_flow else (loaded == {"k": text}):
            return text
    return json.dumps(text, ensure_ascii=False)


def flops(value):
    """4 significant digits, always with a '.', so YAML 1.1 reads a float ('3.0e+12')."""
    text = "%.4g" % value
    mantissa, _, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    return mantissa + ("e" + exponent if exponent else "")


def write_yaml(chips, path):
    lines = [HEADER.rstrip("\n"), "chips:"]
    for chip in chips:
        lines.append(f"  - name: {scalar(chip['name'])}")
        lines.append(f"    family: {scalar(chip['family'])}")
        lines.append(f"    vendor: {scalar(chip['vendor'])}")
        lines.append(f"    cores_per_chip: {chip['cores_per_chip']}")
        aliases = ", ".join(scalar(a, in_flow=True) for a in chip["aliases"])
        lines.append(f"    aliases: [{aliases}]")
        if chip["peak_flops"]:
            lines.append("    peak_flops:")
            for key, value in chip["peak_flops"].items():
                lines.append(f"      {key}: {flops(value)}")
        else:
            lines.append("    peak_flops: {}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def unique_aliases(aliases):
    """Sorted short-to-long, one spelling per case-insensitive form."""
    out = {}
    for a in sorted(aliases, key=lambda a: (len(a), a.casefold(), a)):
        out.setdefault(a.casefold(), a)
    return list(out.values())


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: build_hardware.py epoch_ml_hardware.csv rules/hardware.yaml")
    src, dst = argv[1], argv[2]
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = [r["Hardware name"] for r in rows]
    assert len(names) == len(set(names)), "duplicate Hardware name in the CSV"
    for name in OVERRIDES:
        assert name in names, f"OVERRIDES names an unknown chip: {name}"

    def log(msg):
        print(msg, file=sys.stderr)

    families = {r["Hardware name"]: family_of(r) for r in rows}
    aliases, n_resolved, n_dropped = resolve_aliases(rows, families, log)

    chips = []
    for row in rows:
        name = row["Hardware name"]
        chips.append({
            "name": name,
            "family": families[name],
            "vendor": VENDOR_FIX.get(name, row["Manufacturer"].strip()),
            "cores_per_chip": CORES_PER_CHIP.get(name, 1),
            "aliases": unique_aliases(aliases[name]),
            "peak_flops": peaks_of(row),
        })
    write_yaml(chips, dst)

    # Read the file back: same chips, same numbers (to 4 digits), aliases unique.
    with open(dst, encoding="utf-8") as f:
        loaded = yaml.safe_load(f)["chips"]
    assert [c["name"] for c in loaded] == names
    seen = {}
    for chip, back in zip(chips, loaded):
        assert back["aliases"] == chip["aliases"], chip["name"]
        for key, value in chip["peak_flops"].items():
            assert isinstance(back["peak_flops"][key], float), (chip["name"], key)
            assert abs(back["peak_flops"][key] - value) <= 5e-4 * value, (chip["name"], key)
        for alias in [chip["name"]] + chip["aliases"]:
            other = seen.setdefault(alias.casefold(), chip["name"])
            assert other == chip["name"], f"{alias!r} names both {other} and {chip['name']}"
    n_aliases = sum(len(c["aliases"]) for c in chips)
    log(f"{len(chips)} chips, {n_aliases} aliases, {n_resolved} alias collisions resolved, "
        f"{n_dropped} left unresolved (alias dropped) -> {dst}")


if __name__ == "__main__":
    main(sys.argv)
