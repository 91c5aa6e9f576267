"""One training step of each benchmarked network, written as the book writes it in numpy.

Run by Graph.Bench (NumpyBaseline.cs) with Debian's python3, one process per network and dtype:

    python3 book_steps.py NET DTYPE DATA_DIR

NET is N1 to N6, or LSTM16 and LSTM32 (chapter 14's character LSTM at batch 16 and 32), DTYPE float32 or float64 (the
book's own), DATA_DIR the folder where the bench wrote the records (raw little-endian arrays, described below). The
script warms up for half a second and prints "ready <µs per step>"; then, for each line "round STEPS" it reads, it
runs that many steps and prints "round <wall µs per step> <thread CPU µs per step>" (the CPU time the thread computed,
which leaves out the time it waited for a core on a busy machine), until its input ends. The bench asks for its rounds
between the rounds of its own steps, so that numpy and Graph are timed over the same stretch of time on a machine whose
speed drifts. With NET = blas it prints the BLAS library numpy has loaded instead.

Each step is the body of the book's training loop for one batch (chapters 6, 8, 9, 10 and 11), the forward pass,
the deltas and the in-place updates, with the book's learning rates; the bookkeeping that only prints (the error and
accuracy counters) is left out, as the other implementations leave it out. Chapter 8's dropout listing repeats the
deltas and updates inside its per-sample accuracy loop; here they run once per batch, as in the other
implementations of the step.

The LSTM steps use the book's chapter 14 framework itself (its Tensor autograd, Embedding, LSTMCell, CrossEntropyLoss
and SGD, imported from ch14_book_framework.py, which the bench copies beside this script from the tests' oracles).
"""
import importlib
import sys
import time

import numpy as np


def load(data_dir, name, dtype, shape):
    values = np.fromfile(f"{data_dir}/{name}", dtype="<f4" if dtype != "int32" else "<i4")
    return values.astype(dtype).reshape(shape)


def relu(x):
    return (x >= 0) * x


def relu2deriv(output):
    return output >= 0


def tanh(x):
    return np.tanh(x)


def tanh2deriv(output):
    return 1 - (output ** 2)


def softmax(x):
    temp = np.exp(x)
    return temp / np.sum(temp, axis=1, keepdims=True)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def n1(data_dir, dtype):
    """Chapter 6: streetlights, 3-4-1 relu, one record per step, alpha 0.2."""
    np.random.seed(1)
    alpha, hidden_size = 0.2, 4
    streetlights = np.array([[1, 0, 1], [0, 1, 1], [0, 0, 1], [1, 1, 1]], dtype=dtype)
    walk_vs_stop = np.array([[1, 1, 0, 0]], dtype=dtype).T
    state = {
        "weights_0_1": (2 * np.random.random((3, hidden_size)) - 1).astype(dtype),
        "weights_1_2": (2 * np.random.random((hidden_size, 1)) - 1).astype(dtype),
        "i": 0,
    }

    def step():
        i = state["i"]
        state["i"] = (i + 1) % 4
        weights_0_1, weights_1_2 = state["weights_0_1"], state["weights_1_2"]
        layer_0 = streetlights[i:i + 1]
        layer_1 = relu(np.dot(layer_0, weights_0_1))
        layer_2 = np.dot(layer_1, weights_1_2)
        layer_2_delta = walk_vs_stop[i:i + 1] - layer_2
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
        weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
        weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)

    return step


def mnist(data_dir, dtype):
    images = load(data_dir, "mnist_images.f32", dtype, (-1, 784))
    labels = load(data_dir, "mnist_labels.f32", dtype, (-1, 10))
    return images, labels


def n2(data_dir, dtype):
    """Chapter 8: MNIST 784-40-10 relu, one image per step (the first 100 in turn), alpha 0.005."""
    images, labels = mnist(data_dir, dtype)
    np.random.seed(1)
    alpha, hidden_size, pixels_per_image, num_labels = 0.005, 40, 784, 10
    state = {
        "weights_0_1": (0.2 * np.random.random((pixels_per_image, hidden_size)) - 0.1).astype(dtype),
        "weights_1_2": (0.2 * np.random.random((hidden_size, num_labels)) - 0.1).astype(dtype),
        "i": 0,
    }

    def step():
        i = state["i"]
        state["i"] = (i + 1) % 100
        weights_0_1, weights_1_2 = state["weights_0_1"], state["weights_1_2"]
        layer_0 = images[i:i + 1]
        layer_1 = relu(np.dot(layer_0, weights_0_1))
        layer_2 = np.dot(layer_1, weights_1_2)
        layer_2_delta = labels[i:i + 1] - layer_2
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
        weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
        weights_0_1 += alpha * layer_0.T.dot(layer_1_delta)

    return step


def n3(data_dir, dtype):
    """Chapter 8: MNIST 784-100-10 relu with dropout, batches of 100, alpha 0.001."""
    images, labels = mnist(data_dir, dtype)
    np.random.seed(1)
    batch_size, alpha = 100, 0.001
    pixels_per_image, num_labels, hidden_size = 784, 10, 100
    weights_0_1 = (0.2 * np.random.random((pixels_per_image, hidden_size)) - 0.1).astype(dtype)
    weights_1_2 = (0.2 * np.random.random((hidden_size, num_labels)) - 0.1).astype(dtype)

    def step():
        layer_0 = images[0:batch_size]
        layer_1 = relu(np.dot(layer_0, weights_0_1))
        dropout_mask = np.random.randint(2, size=layer_1.shape)
        layer_1 *= dropout_mask * 2
        layer_2 = np.dot(layer_1, weights_1_2)
        layer_2_delta = (labels[0:batch_size] - layer_2) / batch_size
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1)
        layer_1_delta *= dropout_mask
        weights_1_2[...] += alpha * layer_1.T.dot(layer_2_delta)
        weights_0_1[...] += alpha * layer_0.T.dot(layer_1_delta)

    return step


def n4(data_dir, dtype):
    """Chapter 9: MNIST 784-100-10 tanh with dropout and softmax, batches of 100, alpha 2."""
    images, labels = mnist(data_dir, dtype)
    np.random.seed(1)
    alpha, hidden_size = 2, 100
    pixels_per_image, num_labels = 784, 10
    batch_size = 100
    weights_0_1 = (0.02 * np.random.random((pixels_per_image, hidden_size)) - 0.01).astype(dtype)
    weights_1_2 = (0.2 * np.random.random((hidden_size, num_labels)) - 0.1).astype(dtype)

    def step():
        layer_0 = images[0:batch_size]
        layer_1 = tanh(np.dot(layer_0, weights_0_1))
        dropout_mask = np.random.randint(2, size=layer_1.shape)
        layer_1 *= dropout_mask * 2
        layer_2 = softmax(np.dot(layer_1, weights_1_2))
        layer_2_delta = (labels[0:batch_size] - layer_2) / (batch_size * layer_2.shape[0])
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * tanh2deriv(layer_1)
        layer_1_delta *= dropout_mask
        weights_1_2[...] += alpha * layer_1.T.dot(layer_2_delta)
        weights_0_1[...] += alpha * layer_0.T.dot(layer_1_delta)

    return step


def n5(data_dir, dtype):
    """Chapter 10: the CNN (16 kernels of 3x3, tanh, dropout, softmax), batches of 128, alpha 2."""
    images, labels = mnist(data_dir, dtype)
    np.random.seed(1)
    alpha = 2
    batch_size = 128
    input_rows, input_cols = 28, 28
    kernel_rows, kernel_cols, num_kernels = 3, 3, 16
    hidden_size = ((input_rows - kernel_rows) * (input_cols - kernel_cols)) * num_kernels
    kernels = (0.02 * np.random.random((kernel_rows * kernel_cols, num_kernels)) - 0.01).astype(dtype)
    weights_1_2 = (0.2 * np.random.random((hidden_size, 10)) - 0.1).astype(dtype)
    state = {"i": 0}

    def get_image_section(layer, row_from, row_to, col_from, col_to):
        section = layer[:, row_from:row_to, col_from:col_to]
        return section.reshape(-1, 1, row_to - row_from, col_to - col_from)

    def step():
        i = state["i"]
        state["i"] = (i + 1) % (len(images) // batch_size)
        batch_start, batch_end = i * batch_size, (i + 1) * batch_size
        layer_0 = images[batch_start:batch_end]
        layer_0 = layer_0.reshape(layer_0.shape[0], 28, 28)
        sects = list()
        for row_start in range(layer_0.shape[1] - kernel_rows):
            for col_start in range(layer_0.shape[2] - kernel_cols):
                sect = get_image_section(layer_0, row_start, row_start + kernel_rows, col_start, col_start + kernel_cols)
                sects.append(sect)
        expanded_input = np.concatenate(sects, axis=1)
        es = expanded_input.shape
        flattened_input = expanded_input.reshape(es[0] * es[1], -1)
        kernel_output = flattened_input.dot(kernels)
        layer_1 = tanh(kernel_output.reshape(es[0], -1))
        dropout_mask = np.random.randint(2, size=layer_1.shape)
        layer_1 *= dropout_mask * 2
        layer_2 = softmax(np.dot(layer_1, weights_1_2))
        layer_2_delta = (labels[batch_start:batch_end] - layer_2) / (batch_size * layer_2.shape[0])
        layer_1_delta = layer_2_delta.dot(weights_1_2.T) * tanh2deriv(layer_1)
        layer_1_delta *= dropout_mask
        weights_1_2[...] += alpha * layer_1.T.dot(layer_2_delta)
        l1d_reshape = layer_1_delta.reshape(kernel_output.shape)
        k_update = flattened_input.T.dot(l1d_reshape)
        kernels[...] -= alpha * k_update

    return step


def n6(data_dir, dtype):
    """Chapter 11: sentiment, the sum of a review's word embeddings, sigmoid, 100-1 sigmoid, one review per step."""
    offsets = np.fromfile(f"{data_dir}/imdb_offsets.i32", dtype="<i4")
    words = np.fromfile(f"{data_dir}/imdb_words.i32", dtype="<i4")
    target_dataset = np.fromfile(f"{data_dir}/imdb_labels.i32", dtype="<i4")
    vocab_size = int(np.fromfile(f"{data_dir}/imdb_vocabulary.i32", dtype="<i4")[0])
    input_dataset = [list(words[offsets[r]:offsets[r + 1]]) for r in range(len(offsets) - 1)]
    np.random.seed(1)
    alpha, hidden_size = 0.01, 100
    weights_0_1 = (0.2 * np.random.random((vocab_size, hidden_size)) - 0.1).astype(dtype)
    weights_1_2 = (0.2 * np.random.random((hidden_size, 1)) - 0.1).astype(dtype)
    state = {"i": 0}

    def step():
        i = state["i"]
        state["i"] = (i + 1) % len(input_dataset)
        x, y = (input_dataset[i], target_dataset[i])
        layer_1 = sigmoid(np.sum(weights_0_1[x], axis=0))
        layer_2 = sigmoid(np.dot(layer_1, weights_1_2))
        layer_2_delta = layer_2 - y
        layer_1_delta = layer_2_delta.dot(weights_1_2.T)
        weights_0_1[x] -= layer_1_delta * alpha
        weights_1_2[...] -= np.outer(layer_1, layer_2_delta) * alpha

    return step


def lstm(batch_size):
    """Chapter 14: the book's train() body for one batch of its character LSTM (Embedding(62, 512), LSTMCell(512, 512,
    62), bptt 25, alpha 0.05) at batch_size, in the book's framework, its weights and state cast to DTYPE. The batches
    are eight fixed draws of random characters, cycled; each starts from init_hidden."""

    def make(data_dir, dtype):
        book = importlib.import_module("ch14_book_framework")
        vocab_size, hidden_size, bptt = 62, 512, 25
        embed, model = book.book_network(book.LSTMCell, vocab_size, hidden_size)
        parameters = model.get_parameters() + embed.get_parameters()
        for p in parameters:
            p.data = p.data.astype(dtype)
        criterion = book.CrossEntropyLoss()
        optim = book.SGD(parameters=parameters, alpha=0.05)
        init = [h.data.astype(dtype) for h in model.init_hidden(batch_size=batch_size)]
        draws = np.random.RandomState(7)
        batches = [(draws.randint(0, vocab_size, (bptt, batch_size)), draws.randint(0, vocab_size, (bptt, batch_size))) for _ in range(8)]
        state = {"i": 0}

        def step():
            i = state["i"]
            state["i"] = (i + 1) % len(batches)
            input_batch, target_batch = batches[i]
            hidden = (book.Tensor(init[0].copy(), autograd=True), book.Tensor(init[1].copy(), autograd=True))
            losses = list()
            for t in range(bptt):
                input = book.Tensor(input_batch[t], autograd=True)
                rnn_input = embed.forward(input=input)
                output, hidden = model.forward(input=rnn_input, hidden=hidden)
                target = book.Tensor(target_batch[t], autograd=True)
                batch_loss = criterion.forward(output, target)
                # The one-hot rows np.eye makes are float64, which would make every gradient product after them
                # float64; in DTYPE, the backward pass runs in the precision of the forward pass.
                batch_loss.target_dist = batch_loss.target_dist.astype(dtype)
                if(t == 0):
                    losses.append(batch_loss)
                else:
                    losses.append(batch_loss + losses[-1])
            loss = losses[-1]
            loss.backward()
            optim.step()

        return step

    return make


def blas():
    """The BLAS and LAPACK libraries the process has mapped after a product (what numpy really calls)."""
    a = np.ones((64, 64), dtype=np.float32)
    a.dot(a)
    with open("/proc/self/maps") as maps:
        libraries = sorted({line.split()[-1] for line in maps if "blas" in line or "lapack" in line})
    print("numpy", np.__version__, ";", ", ".join(libraries) if libraries else "no BLAS library mapped")


def main():
    net = sys.argv[1]
    if net == "blas":
        blas()
        return
    dtype, data_dir = sys.argv[2], sys.argv[3]
    step = {"N1": n1, "N2": n2, "N3": n3, "N4": n4, "N5": n5, "N6": n6, "LSTM16": lstm(16), "LSTM32": lstm(32)}[net](data_dir, dtype)

    # Warm up for half a second (and at least three steps), then time rounds of the length asked for.
    start = time.perf_counter()
    warm = 0
    while warm < 3 or time.perf_counter() - start < 0.5:
        step()
        warm += 1
    print("ready", (time.perf_counter() - start) / warm * 1e6, flush=True)
    for line in sys.stdin:
        steps = int(line.split()[1])
        start, start_cpu = time.perf_counter(), time.thread_time()
        for _ in range(steps):
            step()
        print("round", (time.perf_counter() - start) / steps * 1e6, (time.thread_time() - start_cpu) / steps * 1e6, flush=True)


if __name__ == "__main__":
    main()
