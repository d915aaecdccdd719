"""Tables as people have them (issue 11, "Files"), through the command line: other delimiters,
`sep=` and `#` comment lines, compressed files and .tsv, other encodings, id columns named like
the model's outputs, an index saved without a name, and odd --output paths."""

from __future__ import annotations

import bz2
import csv
import gzip
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import assert_error, tree
from ml_baseline.cli import app

runner = CliRunner()
FEATURES = "data/processed/features.csv"
DELIMITER_NAMES = {";": "semicolon", "\t": "tab", "|": "pipe"}


def invoke(*args: str):
    return runner.invoke(app, list(args))


def sample_rows() -> list[list[str]]:
    """The project's sample table as rows of text, header first."""
    with open(FEATURES, newline="") as f:
        return list(csv.reader(f))


def delimited(rows: list[list[str]], delimiter: str) -> str:
    return "".join(delimiter.join(row) + "\n" for row in rows)


def latest_meta(project: Path) -> dict:
    run_id = (project / "models/registry/latest.txt").read_text().strip()
    return json.loads((project / "models/runs" / run_id / "run_meta.json").read_text())


def scores(path: str | Path) -> list[float]:
    return pd.read_csv(path)["score"].tolist()


# --- delimiters ------------------------------------------------------------------------------


def test_semicolon_file_trains_and_its_delimiter_is_recorded(project: Path):
    Path("semi.csv").write_text(delimited(sample_rows(), ";"))
    result = invoke("train", "--target", "is_high_value", "--features", "semi.csv")
    assert result.exit_code == 0, result.output
    assert "Note: semi.csv: read as a semicolon-separated file" in result.stderr
    config = latest_meta(project)["config"]
    assert config["delimiter"] == ";" and config["encoding"] == "utf-8"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"], ids=DELIMITER_NAMES.get)
def test_other_delimiters_are_found_by_predict_and_evaluate(project: Path, delimiter: str):
    Path("in.csv").write_text(delimited(sample_rows(), delimiter))
    result = invoke("predict", "--input", "in.csv", "--output", "p.csv")
    assert result.exit_code == 0, result.output
    assert f"read as a {DELIMITER_NAMES[delimiter]}-separated file" in result.stderr
    invoke("predict", "--input", FEATURES, "--output", "expected.csv")
    assert scores("p.csv") == scores("expected.csv")
    evaluated = invoke("evaluate", "--input", "in.csv", "--json")
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.stdout)["labelled_rows"] == 1000


def test_a_header_that_mixes_delimiters_asks_which_one(project: Path):
    rows = sample_rows()
    rows[0].append("notes, free text")  # a comma inside a column name of a ;-separated file
    for row in rows[1:]:
        row.append("")
    Path("in.csv").write_text(delimited(rows, ";"))
    before = tree(project)
    result = invoke("predict", "--input", "in.csv", "--output", "p.csv")
    assert_error(result, 1, "in.csv", "looks like a semicolon-separated file", "--delimiter ';'")
    assert tree(project) == before
    result = invoke("predict", "--input", "in.csv", "--output", "p.csv", "--delimiter", ";")
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv("p.csv")) == 1000


def test_delimiter_option_takes_one_character_or_tab(project: Path):
    Path("in.tsv").write_text(delimited(sample_rows(), "\t"))
    result = invoke("predict", "--input", "in.tsv", "--output", "p.csv", "--delimiter", "tab")
    assert result.exit_code == 0, result.output
    result = invoke("predict", "--input", "in.tsv", "--output", "p.csv", "--delimiter", ";;")
    assert_error(result, 2, "--delimiter")
    result = invoke("train", "--target", "is_high_value", "--encoding", "no-such-codec")
    assert_error(result, 2, "--encoding")


def test_sep_line_and_comment_lines_are_skipped_with_notes(project: Path):
    preamble = "sep=;\r\n# exported by the shop, 2024-01-31\r\n# one row per user\r\n"
    Path("in.csv").write_text(preamble + delimited(sample_rows(), ";"))
    result = invoke("predict", "--input", "in.csv", "--output", "p.csv")
    assert result.exit_code == 0, result.output
    assert "skipped its first line 'sep=;'" in result.stderr
    assert "skipped 2 comment line(s) starting with '#'" in result.stderr
    assert pd.read_csv("p.csv")["user_id"].tolist() == list(range(1, 1001))


# --- compression and extensions --------------------------------------------------------------

COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress}


def compressed(data: bytes, suffix: str) -> bytes:
    if suffix in COMPRESS:
        return COMPRESS[suffix](data)
    if suffix in (".zst", ".zstd"):
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        with pa.CompressedOutputStream(sink, "zstd") as stream:
            stream.write(data)
        return sink.getvalue().to_pybytes()
    return data


def decompressed(path: Path) -> bytes:
    import pyarrow as pa

    codec = {".gz": "gzip", ".bz2": "bz2", ".zst": "zstd", ".zstd": "zstd"}.get(path.suffix)
    with pa.input_stream(str(path), compression=codec) as stream:
        return stream.read()


@pytest.mark.parametrize("name", ["t.csv.gz", "t.csv.bz2", "t.csv.zst", "t.tsv", "t.tsv.gz"])
def test_compressed_and_tab_separated_files_are_read_and_written(project: Path, name: str):
    delimiter = "\t" if ".tsv" in name else ","
    data = delimited(sample_rows(), delimiter).encode()
    Path(name).write_bytes(compressed(data, Path(name).suffix))
    output = Path("out") / name.replace("t.", "p.")
    result = invoke("predict", "--input", name, "--output", str(output))
    assert result.exit_code == 0, result.output
    assert "separated" not in result.stderr  # a .tsv is expected to use tabs: no note
    invoke("predict", "--input", FEATURES, "--output", "expected.csv")
    written = decompressed(output).decode()
    assert written.splitlines()[0] == delimiter.join(["user_id", "score", "prediction"])
    expected = Path("expected.csv").read_text().replace(",", delimiter)
    assert written == expected


def test_train_reads_a_gzipped_csv_and_records_the_files_own_hash(project: Path):
    import hashlib

    Path("t.csv.gz").write_bytes(gzip.compress(Path(FEATURES).read_bytes()))
    result = invoke("train", "--target", "is_high_value", "--features", "t.csv.gz")
    assert result.exit_code == 0, result.output
    dataset = latest_meta(project)["dataset"]
    assert dataset["sha256"] == hashlib.sha256(Path("t.csv.gz").read_bytes()).hexdigest()
    assert dataset["rows"] == 1000


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("t.xlsx", ["Excel workbooks are not supported", "CSV or Parquet", "CSV UTF-8"]),
        ("t.xls", ["Excel workbooks are not supported", "CSV or Parquet"]),
        ("t.json", ["JSON is not supported", "convert it to CSV or Parquet", "read_json"]),
    ],
)
def test_spreadsheets_and_json_are_refused_with_the_conversion_to_make(
    project: Path, name: str, fragments: list[str]
):
    Path(name).write_bytes(b"PK\x03\x04 not really")
    before = tree(project)
    result = invoke("train", "--target", "is_high_value", "--features", name)
    assert_error(result, 1, name, *fragments)
    # As an output, no conversion to make: where to write instead (probe 26).
    result = invoke("predict", "--input", FEATURES, "--output", f"out/{name}")
    assert_error(result, 1, name, "predictions are written as CSV or Parquet", "out/t.csv")
    assert tree(project) - before <= {"models/registry/history.jsonl"}


# --- encodings -------------------------------------------------------------------------------


def test_latin1_file_error_names_line_and_column_and_suggests_an_encoding(project: Path):
    rows = sample_rows()
    rows[500][1] = "Qatar é"  # row 500 is on line 501 of the file
    Path("in.csv").write_bytes(delimited(rows, ",").encode("latin-1"))
    before = tree(project)
    for command in (
        ("predict", "--input", "in.csv", "--output", "p.csv"),
        ("evaluate", "--input", "in.csv"),
        ("train", "--target", "is_high_value", "--features", "in.csv"),
    ):
        result = invoke(*command)
        assert_error(
            result, 1, "in.csv", "line 501", "column 'country'", "0xe9", "--encoding latin-1"
        )
        assert "position" not in result.stderr and "#1" not in result.stderr
    assert tree(project) - before <= {"models/registry/history.jsonl"}
    result = invoke(
        "predict", "--input", "in.csv", "--output", "p.csv", "--encoding", "latin-1", "--json"
    )
    assert result.exit_code == 0, result.output
    # An unseen category, read as the right text (one in 1,000 rows is no drift: no warning).
    assert json.loads(result.stdout)["input_problems"]["country"]["unseen_examples"] == ["Qatar é"]


def test_training_records_the_encoding_option(project: Path):
    rows = sample_rows()
    rows[3][1] = "Égypte"
    Path("in.csv").write_bytes(delimited(rows, ",").encode("cp1252"))
    result = invoke(
        "train", "--target", "is_high_value", "--features", "in.csv", "--encoding", "cp1252"
    )
    assert result.exit_code == 0, result.output
    assert latest_meta(project)["config"]["encoding"] == "cp1252"


def test_utf16_files_are_read_or_named(project: Path):
    text = Path(FEATURES).read_text()
    Path("bom.csv").write_bytes(text.encode("utf-16"))  # with a byte order mark
    result = invoke("predict", "--input", "bom.csv", "--output", "p.csv")
    assert result.exit_code == 0, result.output
    assert "bom.csv is UTF-16 text" in result.stderr
    invoke("predict", "--input", FEATURES, "--output", "expected.csv")
    assert scores("p.csv") == scores("expected.csv")

    Path("no-bom.csv").write_bytes(text.encode("utf-16-le"))
    result = invoke("predict", "--input", "no-bom.csv", "--output", "p2.csv")
    assert_error(result, 1, "no-bom.csv", "UTF-16", "--encoding utf-16-le")
    assert not Path("p2.csv").exists()
    result = invoke(
        "predict", "--input", "no-bom.csv", "--output", "p2.csv", "--encoding", "utf-16-le"
    )
    assert result.exit_code == 0, result.output
    assert scores("p2.csv") == scores("expected.csv")
    # `--encoding utf-16`, as --help suggests, on a file without the mark: the decoder's
    # "UTF-16 stream does not start with BOM" was reported as a bug (probe 26).
    for name in ("no-bom.csv", FEATURES):
        result = invoke("predict", "--input", name, "--output", "p3.csv", "--encoding", "utf-16")
        assert_error(result, 1, name, "no UTF-16 byte order mark", "--encoding utf-16-le")
        assert not Path("p3.csv").exists()


# --- columns: ids named like outputs, a saved index --------------------------------------------


@pytest.mark.parametrize("name", ["score", "prediction"])
def test_binary_id_column_named_like_an_output_is_refused(project: Path, name: str):
    frame = pd.read_csv(FEATURES).rename(columns={"user_id": name})
    frame.to_csv("ids.csv", index=False)
    runs = sorted(p.name for p in (project / "models/runs").iterdir())
    result = invoke("train", "--target", "is_high_value", "--features", "ids.csv", "--id-col", name)
    assert_error(result, 1, f"id column {name!r}", "ids.csv", "rename", "--id-col")
    assert sorted(p.name for p in (project / "models/runs").iterdir()) == runs


def test_multiclass_id_column_named_like_a_class_probability_is_refused(empty_project: Path):
    rows = [f"{i},{i % 7},{'abc'[i % 3]}\n" for i in range(90)]
    Path("t.csv").write_text("proba_b,x,y\n" + "".join(rows))
    result = invoke("train", "--target", "y", "--features", "t.csv", "--id-col", "proba_b")
    assert_error(result, 1, "id column 'proba_b'", "proba_a, proba_b, proba_c, prediction")
    assert not (empty_project / "models/runs").exists()


def test_an_index_saved_without_a_name_is_left_out_and_named_readably(project: Path):
    frame = pd.read_csv(FEATURES)
    # Two halves stacked without ignore_index: the index repeats, so it is no id either.
    halves = pd.concat([frame.iloc[:500], frame.iloc[500:].reset_index(drop=True)])
    halves.to_csv("indexed.csv")  # index=True: the header starts with ","
    assert Path("indexed.csv").read_text().startswith(",user_id,")
    result = invoke("train", "--target", "is_high_value", "--features", "indexed.csv")
    assert result.exit_code == 0, result.output
    assert "left out column (unnamed column 1): it has no name" in result.stderr
    assert "index=False" in result.stderr
    run_id = (project / "models/registry/latest.txt").read_text().strip()
    schema = json.loads((project / "models/runs" / run_id / "schema/input_schema.json").read_text())
    assert "" not in [feature["name"] for feature in schema["features"]]
    assert "row index saved with the table" in schema["excluded_columns"][""]

    result = invoke("predict", "--input", "indexed.csv", "--output", "p.csv")
    assert result.exit_code == 0, result.output
    assert "does not use: (unnamed column 1)" in result.stderr


def test_a_trailing_delimiter_is_said_to_be_one(project: Path):
    # Spreadsheets end each line with the delimiter (`a;b;c;`): the last column has no name
    # and no value, and was said to be a row index pandas saved.
    frame = pd.read_csv(FEATURES)
    lines = [";".join(frame.columns) + ";"]
    lines += [";".join(map(str, row)) + ";" for row in frame.itertuples(index=False)]
    Path("trailing.csv").write_text("\n".join(lines) + "\n")
    result = invoke("train", "--target", "is_high_value", "--features", "trailing.csv")
    assert result.exit_code == 0, result.output
    column = f"(unnamed column {len(frame.columns) + 1})"
    assert (
        f"left out column {column}: it has no name and no value, as when each line ends with "
        "the delimiter\n"
    ) in result.stderr
    assert "index=False" not in result.stderr


# --- where the output goes -------------------------------------------------------------------


def test_an_output_folder_is_named_as_a_folder(project: Path):
    Path("outputs").mkdir(exist_ok=True)
    before = tree(project)
    result = invoke("predict", "--input", FEATURES, "--output", "outputs")
    assert_error(result, 1, "outputs is a folder", ".csv or .parquet", "outputs/preds.csv")
    result = invoke("make-sample-data", "--output", "outputs")
    assert_error(result, 1, "outputs is a folder", "outputs/features.csv")
    assert tree(project) == before


def test_a_symlinked_output_is_written_through(project: Path):
    Path("outputs").mkdir(exist_ok=True)
    target = Path("outputs/real.csv")
    target.write_text("old scores\n")
    link = Path("outputs/latest.csv")
    link.symlink_to("real.csv")
    result = invoke("predict", "--input", FEATURES, "--output", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert target.read_text().startswith("user_id,score,prediction\n")
    # The drift report is named after the path given.
    assert sorted(p.name for p in Path("outputs").iterdir()) == [
        "latest.csv",
        "latest.drift.json",
        "real.csv",
    ]


def test_parquet_text_written_by_pandas_3_as_large_string(tmp_path: Path, monkeypatch):
    # pandas 3 writes text to Parquet as large_string: quarters '1981 Q1' stopped train with
    # "unexpected ArrowNotImplementedError", and predict called every such cell invalid
    # (mosaicData's BirthsSSA, fpp3's aus_arrivals; probe 24).
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.chdir(tmp_path)
    n = 120
    rng = np.random.default_rng(0)
    text = pa.large_string()
    table = pa.table(
        {
            "Quarter": pa.array([f"{1981 + i // 4} Q{i % 4 + 1}" for i in range(n)], type=text),
            "region": pa.array(["north", "south", "east"] * (n // 3), type=text),
            "x": rng.normal(size=n),
            "y": rng.normal(size=n),
        }
    )
    pq.write_table(table, "t.parquet")
    for split in ([], ["--split", "time", "--time-col", "Quarter"]):
        result = invoke("train", "--features", "t.parquet", "--target", "y", *split)
        assert result.exit_code == 0, result.output
    scored = invoke("predict", "--input", "t.parquet", "--output", "p.csv")
    assert scored.exit_code == 0, scored.output
    assert len(pd.read_csv("p.csv")) == n


def _default_like(rows: int = 400, seed: int = 69) -> pd.DataFrame:
    """A table shaped like ISLR's Default: an id, a text flag, two amounts, a yes/no target."""
    import numpy as np

    rng = np.random.default_rng(seed)
    balance = rng.gamma(2.0, 400.0, rows)
    return pd.DataFrame(
        {
            "user_id": np.arange(rows),
            "student": rng.choice(["Yes", "No"], rows),
            "balance": balance,
            "income": rng.normal(40_000, 10_000, rows),
            "default": np.where(balance + rng.normal(0, 300, rows) > 1200, "Yes", "No"),
        }
    )


@pytest.mark.parametrize(
    ("case", "options"),
    [
        ("timestamp", ["--split", "time", "--time-col", "signup"]),
        ("timestamp_utc", ["--split", "time", "--time-col", "signup"]),
        ("category_id", ["--id-col", "user_id"]),
        ("category_groups", ["--split", "group", "--group-col", "grp"]),
        ("float16", []),
    ],
)
def test_parquet_types_pandas_writes_train(tmp_path: Path, case: str, options: list[str]):
    # Probe 69, each stopped train with "unexpected ...": a typed timestamp as --time-col (its
    # nanoseconds read as seconds: "year 51970 is out of range"), a pandas `category` as an
    # id or the groups (pyarrow's count_distinct has no kernel for dictionaries), a float16
    # column (nor sum for halffloat).
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _default_like()
    seconds = np.random.default_rng(1).integers(0, 90_000_000, len(frame))
    signup = pd.Timestamp("2020-01-01") + pd.to_timedelta(seconds, unit="s")
    if case == "timestamp":
        frame["signup"] = signup
    elif case == "timestamp_utc":
        frame["signup"] = signup.tz_localize("UTC")
    elif case == "category_id":
        frame["user_id"] = ("U" + frame["user_id"].astype(str)).astype("category")
    elif case == "category_groups":
        frame["grp"] = pd.Categorical(np.arange(len(frame)) % 80)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if case == "float16":
        halves = pa.array(frame["balance"].to_numpy().astype("float16"), pa.float16())
        table = table.set_column(table.schema.get_field_index("balance"), "balance", halves)
    pq.write_table(table, tmp_path / "t.parquet")
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "t.parquet"), "--target", "default",
                    "--models-dir", models, *options)  # fmt: skip
    assert result.exit_code == 0, result.output
    if case.startswith("timestamp"):
        assert "time split on 'signup': training 2020-" in result.stderr
    scored = invoke("predict", "--input", str(tmp_path / "t.parquet"), "--output",
                    str(tmp_path / "p.csv"), "--models-dir", models)  # fmt: skip
    assert scored.exit_code == 0, scored.output


def test_a_pandas_index_saved_in_parquet_is_no_feature(tmp_path: Path):
    # DataFrame.to_parquet() keeps an index that is not 0..n-1 (after sample) as
    # `__index_level_0__`: ISLR's Default sampled trained on it, and predict asked every batch
    # for it (probe 69).
    frame = _default_like().sample(300, random_state=2)
    frame.to_parquet(tmp_path / "sampled.parquet")
    frame.reset_index(drop=True).to_parquet(tmp_path / "batch.parquet")
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "sampled.parquet"), "--target",
                    "default", "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "left out column '__index_level_0__': its name is how pandas saves" in result.stderr
    scored = invoke("predict", "--input", str(tmp_path / "batch.parquet"), "--output",
                    str(tmp_path / "p.csv"), "--models-dir", models)  # fmt: skip
    assert scored.exit_code == 0, scored.output


@pytest.mark.parametrize("levels", ["numbers", "text of numbers"])
def test_a_parquet_category_of_numbers_is_categories(tmp_path: Path, levels: str):
    # pandas' Categorical([1, 2, 3, 4]) in a Parquet file, a plan coded 1 to 4 whose odd
    # codes raise the odds: read as a number, ROC AUC 0.753 against 0.918 as the categories
    # the file says it is (probe 69). A CSV of the same numbers scores the same rows alike.
    import numpy as np

    rng = np.random.default_rng(11)
    n = 1500
    plan, x1 = rng.integers(1, 5, n), rng.normal(size=n)
    odds = 1 / (1 + np.exp(-(x1 + np.where(plan % 2 == 1, 2.0, -2.0))))
    y = np.where(rng.random(n) < odds, "yes", "no")
    codes = plan if levels == "numbers" else plan.astype(str)
    frame = pd.DataFrame({"x1": x1, "plan": pd.Categorical(codes), "y": y})
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    frame.assign(plan=plan).drop(columns="y").to_csv(tmp_path / "batch.csv", index=False)
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "t.parquet"), "--target", "y",
                    "--models-dir", models, "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["metrics"]["model"]["roc_auc"] > 0.88
    run = Path(document["run_dir"])
    (plan_feature,) = [
        f for f in json.loads((run / "schema/input_schema.json").read_text())["features"]
        if f["name"] == "plan"
    ]  # fmt: skip
    assert plan_feature["kind"] == "categorical"
    for batch, out in (("batch.csv", "a.csv"), ("t.parquet", "b.csv")):
        scored = invoke("predict", "--input", str(tmp_path / batch), "--output",
                        str(tmp_path / out), "--models-dir", models)  # fmt: skip
        assert scored.exit_code == 0, scored.output
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_booleans_in_parquet_as_text_or_typed_score_alike(tmp_path: Path):
    # Probe 69: True/False text in a Parquet file was a category (a boolean from a CSV), and a
    # batch storing it as a typed bool was then 100% unseen categories; a bool batch for a
    # column trained as Yes/No text was the same.
    import numpy as np

    rng = np.random.default_rng(5)
    n = 400
    flag, x = rng.random(n) < 0.4, rng.normal(size=n)
    y = np.where(x + flag + rng.normal(size=n) > 0.5, "yes", "no")
    frame = pd.DataFrame(
        {"x": x, "flag": np.where(flag, "True", "False"), "student": np.where(flag, "Yes", "No")}
    )
    frame.assign(y=y).to_parquet(tmp_path / "t.parquet", index=False)
    frame.assign(flag=flag, student=flag).to_parquet(tmp_path / "typed.parquet", index=False)
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "t.parquet"), "--target", "y",
                    "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert re.search(r"boolean \(1\): flag", result.stderr), result.stderr
    outputs = []
    for batch in ("t.parquet", "typed.parquet"):
        out = tmp_path / f"{batch}.csv"
        scored = invoke("predict", "--input", str(tmp_path / batch), "--output", str(out),
                        "--models-dir", models)  # fmt: skip
        assert scored.exit_code == 0, scored.output
        assert "unseen" not in scored.stderr, scored.stderr
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    assert "student: 400 value(s) written otherwise than training's categories" in scored.stderr


def test_a_parquet_bytes_column_is_left_out_and_parts_may_differ_as_categories(tmp_path: Path):
    # Probe 69: a Parquet `binary` column refused the whole training with CSV's advice to
    # save the file as UTF-8; parts of a folder, one storing `student` as text and the other
    # as a pandas category, could not be put together.
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _default_like()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    blob = pa.array([bytes([i % 7]) * 3 for i in range(len(frame))], pa.binary())
    pq.write_table(table.append_column("blob", blob), tmp_path / "bytes.parquet")
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "bytes.parquet"), "--target",
                    "default", "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "left out column 'blob': type binary is not supported as a feature" in result.stderr
    parts = tmp_path / "parts"
    parts.mkdir()
    frame.iloc[:200].to_parquet(parts / "part-0.parquet", index=False)
    later = frame.iloc[200:].assign(student=lambda f: f["student"].astype("category"))
    later.to_parquet(parts / "part-1.parquet", index=False)
    result = invoke("train", "--features", str(parts), "--target", "default",
                    "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output


def test_targets_as_databases_and_pandas_store_them(tmp_path: Path):
    # Probe 69: a decimal128 target (a database's 0/1 or money column) was refused with "a
    # target must hold numbers"; a run of a bool target refused labels 0/1 written as numbers
    # in evaluate; --positive-label 1.0 was "not a value" of a 0.0/1.0 target.
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _default_like()
    yes = (frame.pop("default") == "Yes").to_numpy()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    as_decimal = pa.array([decimal.Decimal(int(v)) for v in yes], pa.decimal128(5, 0))
    pq.write_table(table.append_column("default", as_decimal), tmp_path / "decimal.parquet")
    pq.write_table(table.append_column("default", pa.array(yes)), tmp_path / "bool.parquet")
    labels = pa.array(yes.astype("int8"))
    pq.write_table(table.append_column("default", labels), tmp_path / "int8.parquet")
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "decimal.parquet"), "--target",
                    "default", "--models-dir", models, "--positive-label", "1.0")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "positive label: 1, the target's spelling of --positive-label '1.0'" in result.stderr
    result = invoke("train", "--features", str(tmp_path / "bool.parquet"), "--target",
                    "default", "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output
    evaluated = invoke("evaluate", "--input", str(tmp_path / "int8.parquet"), "--models-dir",
                       models)  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    # Its 0/1 labels are the run's False/True: its training rows are recognised as such.
    assert "held up is undecided (320 of 400 rows are rows it was trained on)" in evaluated.stdout


def test_typed_durations_and_times_are_seconds(tmp_path: Path):
    # Probe 69: a pandas timedelta column was left out ("type duration[us] is not supported"),
    # while text durations were seconds; a time64's note spoke of times "written" hh:mm.
    import datetime

    import numpy as np

    rng = np.random.default_rng(2)
    n = 300
    seconds, x = rng.integers(0, 36_000, n), rng.normal(size=n)
    y = np.where(seconds / 36_000 + 0.3 * x + rng.normal(0, 0.2, n) > 0.5, "yes", "no")
    clock = [datetime.time(s // 3600, s % 3600 // 60, s % 60) for s in seconds.tolist()]
    frame = pd.DataFrame({"x": x, "dur": pd.to_timedelta(seconds, unit="s"), "tod": clock})
    frame.assign(y=y).to_parquet(tmp_path / "t.parquet", index=False)
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "t.parquet"), "--target", "y",
                    "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "column 'dur': read as seconds (type duration[" in result.stderr
    assert "column 'tod': read as seconds after midnight (type time64[" in result.stderr
    scored = invoke("predict", "--input", str(tmp_path / "t.parquet"), "--output",
                    str(tmp_path / "p.csv"), "--models-dir", models)  # fmt: skip
    assert scored.exit_code == 0, scored.output


def test_scored_moments_typed_otherwise_than_trainings_are_said(tmp_path: Path):
    # Probe 69: a date32 batch for a run trained on moments with times read hour 0 on every
    # row, and a batch with a time zone for a run trained without one was read in UTC, each
    # without a word.
    import numpy as np

    frame = _default_like()
    seconds = np.random.default_rng(1).integers(0, 90_000_000, len(frame))
    frame["signup"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(seconds, unit="s")
    frame.to_parquet(tmp_path / "t.parquet", index=False)
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "t.parquet"), "--target", "default",
                    "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output
    batches = {
        "days": frame.assign(signup=frame["signup"].dt.date),
        "zoned": frame.assign(signup=frame["signup"].dt.tz_localize("UTC")),
        "same": frame,
    }
    said = {}
    for name, batch in batches.items():
        batch.to_parquet(tmp_path / f"{name}.parquet", index=False)
        scored = invoke("predict", "--input", str(tmp_path / f"{name}.parquet"), "--output",
                        str(tmp_path / f"{name}.csv"), "--models-dir", models)  # fmt: skip
        assert scored.exit_code == 0, scored.output
        said[name] = scored.stderr
    assert "signup: dates without a time of day, where training's had one" in said["days"]
    assert "signup: moments with a time zone (UTC), where training's had none" in said["zoned"]
    assert "signup:" not in said["same"].replace("signup__", "")


def test_cells_of_no_text_for_a_categorical_feature_are_said_so(tmp_path: Path):
    # Probe 69: a Parquet struct for Default's `student`, text categories at training, was
    # refused as "training read it as plain numbers".
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = _default_like()
    frame.to_csv(tmp_path / "t.csv", index=False)
    models = str(tmp_path / "models")
    result = invoke("train", "--features", str(tmp_path / "t.csv"), "--target", "default",
                    "--models-dir", models)  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pa.Table.from_pandas(frame.drop(columns="default"), preserve_index=False)
    nested = pa.array([{"a": 1}] * len(frame), pa.struct([("a", pa.int64())]))
    table = table.set_column(table.schema.get_field_index("student"), "student", nested)
    pq.write_table(table, tmp_path / "batch.parquet")
    scored = invoke("predict", "--input", str(tmp_path / "batch.parquet"), "--output",
                    str(tmp_path / "p.csv"), "--models-dir", models)  # fmt: skip
    assert_error(scored, 1, "column 'student'", "training read it as text categories")
    assert "plain numbers" not in scored.stderr
