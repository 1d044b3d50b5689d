#!/usr/bin/env python3
"""Runs `extract` as the map stage of an Apache Spark job over a JSONL archive.

Each line of the archive is one article, {"id": ..., "text": ..., "published": ...}.
Spark splits the archive into partitions and pipes each partition through
`extract --input jsonl --format jsonl -` (RDD.pipe): one process per partition,
reading articles on stdin and writing one document per line on stdout, in
input order. The output directory holds Spark's part files; read in order,
they are exactly what `extract --input jsonl --format jsonl ARCHIVE` prints.

Local mode (pip install pyspark; Java 17+):
    python3 scripts/spark_extract.py archive.jsonl out/ --extract target/release/extract
On a cluster, ship the binary with the job and call it by its file name:
    spark-submit --master yarn --files target/release/extract \
        scripts/spark_extract.py hdfs:///news/archive.jsonl hdfs:///news/events \
        --extract ./extract --partitions 200
"""

import argparse
import os
import shlex

from pyspark.sql import SparkSession


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("archive", help="JSONL archive, one article per line (any Hadoop path)")
    p.add_argument("output", help="output directory (must not exist)")
    p.add_argument("--extract", default="target/release/extract", help="path of the extract binary on the workers")
    p.add_argument("--partitions", type=int, default=None, help="minimum number of partitions")
    p.add_argument("--threads", type=int, default=1,
                   help="threads of each extract process (Spark already runs one task per core)")
    p.add_argument("--master", default=None, help="Spark master, e.g. local[2] (default: spark-submit's)")
    p.add_argument("--extract-args", default="", help="more extract options, e.g. '--rules rules/'")
    p.add_argument("--strict", action="store_true",
                   help="fail a task when extract exits non-zero (also on one bad line)")
    a = p.parse_args()

    builder = SparkSession.builder.appName("extract")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("WARN")

    binary = os.path.abspath(a.extract) if os.path.exists(a.extract) else a.extract
    command = [binary, "--input", "jsonl", "--format", "jsonl", "--threads", str(a.threads)]
    command = shlex.join(command + shlex.split(a.extract_args) + ["-"])
    lines = sc.textFile(a.archive, minPartitions=a.partitions) if a.partitions else sc.textFile(a.archive)
    # A bad line is reported on the task's stderr (`extract: -:N: reason`)
    # and the others go on; --strict fails the task instead (extract exits 1).
    docs = lines.pipe(command, checkCode=a.strict)
    docs.saveAsTextFile(a.output)
    spark.stop()


if __name__ == "__main__":
    main()
