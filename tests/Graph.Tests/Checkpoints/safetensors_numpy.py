"""An independent safetensors reader and writer for the checkpoint tests, from the published specification
(https://huggingface.co/docs/safetensors) with only json and numpy (and the standard library's struct, sys, hashlib).

  read FILE   checks FILE against the specification and prints its tensors as JSON:
              {"metadata": {...}, "tensors": {name: {"dtype", "shape", "values"}}}, values as Python floats (exact).
  write FILE  reads {"metadata": {...}, "tensors": [{"name", "dtype", "shape", "values"}]} from stdin and writes FILE,
              the tensors laid out in name order and the header not padded (both allowed by the specification).
"""
import hashlib
import json
import struct
import sys

import numpy as np

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2"}


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 8 + n <= len(data), "header length beyond the file"
    header_bytes = data[8:8 + n]
    assert header_bytes[:1] == b"{", "header does not begin with {"
    text = header_bytes.decode("utf-8")
    assert text.rstrip(" ").endswith("}"), "the header is padded with something other than spaces"
    pairs = json.loads(text, object_pairs_hook=lambda kv: kv)
    names = [k for k, _ in pairs]
    assert len(names) == len(set(names)), "duplicate names"
    header = dict(pairs)
    metadata = dict(header.pop("__metadata__", []))
    assert all(isinstance(v, str) for v in metadata.values()), "metadata values must be strings"
    body = data[8 + n:]
    spans = []
    out = {}
    for name, info in header.items():
        info = dict(info)
        assert set(info) == {"dtype", "shape", "data_offsets"}, name
        begin, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]])
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert end - begin == count * dtype.itemsize, f"{name}: offsets do not match dtype and shape"
        spans.append((begin, end))
        values = np.frombuffer(body[begin:end], dtype=dtype).reshape(info["shape"])
        out[name] = {"dtype": info["dtype"], "shape": list(info["shape"]),
                     "values": [float(v) for v in values.astype(np.float64).ravel()]}
    position = 0
    for begin, end in sorted(spans):
        assert begin == position, "a gap or an overlap between tensors"
        position = end
    assert position == len(body), "the body is not fully indexed"
    if "graph.sha256" in metadata:
        assert hashlib.sha256(body).hexdigest() == metadata["graph.sha256"], "checksum mismatch"
    json.dump({"metadata": metadata, "tensors": out}, sys.stdout)


def write(path):
    spec = json.load(sys.stdin)
    tensors = sorted(spec["tensors"], key=lambda t: t["name"])
    header = {}
    if spec.get("metadata"):
        header["__metadata__"] = spec["metadata"]
    chunks = []
    offset = 0
    for t in tensors:
        raw = np.asarray(t["values"], dtype=np.float64).astype(DTYPES[t["dtype"]]).reshape(t["shape"]).tobytes(order="C")
        header[t["name"]] = {"dtype": t["dtype"], "shape": t["shape"], "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header_bytes = json.dumps(header).encode("utf-8")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header_bytes)))
        f.write(header_bytes)
        for chunk in chunks:
            f.write(chunk)


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
