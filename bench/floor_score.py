"""The floor for `ml-baseline predict`: the least code that scores a table with a saved run.

No schema checks, no batching, no atomic output: load the model, read the whole table, score,
write id, score and prediction. `bench/run.py` times it as a whole process next to `predict`.

    python bench/floor_score.py RUN_DIR INPUT OUTPUT    (.csv or .parquet, by extension)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import joblib
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def main(run_dir: Path, input_path: Path, output_path: Path) -> None:
    model = joblib.load(run_dir / "model" / "model.joblib")
    schema = json.loads((run_dir / "schema" / "input_schema.json").read_text(encoding="utf-8"))
    meta = json.loads((run_dir / "run_meta.json").read_text(encoding="utf-8"))
    features = [feature["name"] for feature in schema["features"]]
    id_columns = list(schema["id_columns"])

    if input_path.suffix == ".csv":
        # Empty fields are missing values, for strings too (as at training).
        convert = pacsv.ConvertOptions(strings_can_be_null=True)
        table = pacsv.read_csv(input_path, convert_options=convert)
    else:
        table = pq.read_table(input_path)

    X = table.select(features).to_pandas()
    score = model.predict_proba(X)[:, 1]
    out = table.select(id_columns)
    out = out.append_column("score", pa.array(score, type=pa.float64()))
    out = out.append_column("prediction", pa.array((score >= meta["threshold"]).astype("int64")))

    if output_path.suffix == ".csv":
        pacsv.write_csv(out, output_path)
    else:
        pq.write_table(out, output_path)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*(Path(arg) for arg in sys.argv[1:]))
