# The book's E13.14 (Embedding(5,3)-Tanh-Linear(3,1)-Sigmoid, MSE, SGD 0.5) in plain numpy, with the book's
# random draws in the book's order: a Tensor id (randint(0,100000)) for data and target, rand(5,3) and an id
# for the embedding, randn(3,1) and an id for the weight, an id for the bias.
import sys
import numpy as np
np.set_printoptions(precision=8)
seed = int(sys.argv[1])
np.random.seed(seed)
np.random.randint(0, 100000); np.random.randint(0, 100000)          # data, target
E = (np.random.rand(5, 3) - 0.5) / 3; np.random.randint(0, 100000)  # Embedding
W = np.random.randn(3, 1) * np.sqrt(2.0 / 3); np.random.randint(0, 100000)  # Linear weight
b = np.zeros(1); np.random.randint(0, 100000)                       # Linear bias
data = np.array([1, 2, 1, 2]); t = np.array([[0], [1], [0], [1]])
for i in range(10):
    x = E[data]; h = np.tanh(x); z = h.dot(W) + b; p = 1 / (1 + np.exp(-z))
    loss = ((p - t) * (p - t)).sum(0)
    print(loss)
    dz = 2 * (p - t) * p * (1 - p)
    dW = h.T.dot(dz); db = dz.sum(0); dx = dz.dot(W.T) * (1 - h * h)
    dE = np.zeros_like(E); np.add.at(dE, data, dx)
    W -= 0.5 * dW; b -= 0.5 * db; E -= 0.5 * dE
