"""
Step 01 of 11: Flatten parameters into one float array with an offset table.

Thesis. The model's knowledge is 4,064 floats (at the default settings), but the
original keeps them in a dict of lists of lists of Value objects: one heap object per
number, reached through a string key, a row pointer and an element pointer. Yet every
consumer reads parameters in one of only two ways: a whole row, in order (the linear
layers and the embedding lookups), or every parameter, in order (Adam). One flat list of
floats, plus an offset table that says where each matrix starts and how wide its rows
are, serves both patterns directly. Adam becomes a scan over four aligned flat arrays.

The Value graph still does the differentiation in this step: each training step wraps
the flat floats in fresh Value nodes, and copies their gradients back into a flat array
aligned with the parameters by index. The tape that replaces the graph comes in step 03.

Derived from microgpt.py by Andrej Karpathy (original/microgpt.py in this workbench),
"the most atomic way to train and inference a GPT in pure, dependency-free Python".
Same output, same samples, bit-identical final parameters.
"""

import os       # os.path.exists
import math     # math.log, math.exp
import random   # random.seed, random.choices, random.gauss, random.shuffle
random.seed(42) # Let there be order among chaos

# Let there be an input dataset `docs`: list[str] of documents (e.g. a dataset of names)
if not os.path.exists('input.txt'):
    import urllib.request
    names_url = 'https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt'
    urllib.request.urlretrieve(names_url, 'input.txt')
docs = [l.strip() for l in open('input.txt').read().strip().split('\n') if l.strip()] # list[str] of documents
random.shuffle(docs)
print(f"num docs: {len(docs)}")

# Let there be a Tokenizer to translate strings to discrete symbols and back
uchars = sorted(set(''.join(docs))) # unique characters in the dataset become token ids 0..n-1
BOS = len(uchars) # token id for the special Beginning of Sequence (BOS) token
vocab_size = len(uchars) + 1 # total number of unique tokens, +1 is for BOS
print(f"vocab size: {vocab_size}")

# Let there be an Autograd to apply the chain rule recursively across a computation graph
class Value:
    """Stores a single scalar value and its gradient, as a node in a computation graph."""

    def __init__(self, data, children=(), local_grads=()):
        self.data = data                # scalar value of this node calculated during forward pass
        self.grad = 0                   # derivative of the loss w.r.t. this node, calculated in backward pass
        self._children = children       # children of this node in the computation graph
        self._local_grads = local_grads # local derivative of this node w.r.t. its children

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, other): return Value(self.data**other, (self,), (other * self.data**(other-1),))
    def log(self): return Value(math.log(self.data), (self,), (1/self.data,))
    def exp(self): return Value(math.exp(self.data), (self,), (math.exp(self.data),))
    def relu(self): return Value(max(0, self.data), (self,), (float(self.data > 0),))
    def __neg__(self): return self * -1
    def __radd__(self, other): return self + other
    def __sub__(self, other): return self + (-other)
    def __rsub__(self, other): return other + (-self)
    def __rmul__(self, other): return self * other
    def __truediv__(self, other): return self * other**-1
    def __rtruediv__(self, other): return other * self**-1

    def backward(self):
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            for child, local_grad in zip(v._children, v._local_grads):
                child.grad += local_grad * v.grad

# Initialize the parameters, to store the knowledge of the model.
n_embd = 16     # embedding dimension
n_head = 4      # number of attention heads
n_layer = 1     # number of layers
block_size = 8  # maximum sequence length
head_dim = n_embd // n_head # dimension of each head

# The parameter layout, declared in one place: (name, number of rows, number of columns,
# standard deviation of the initial values), in the order the original created them.
parameter_layout = [
    ('wte', vocab_size, n_embd, 0.02),
    ('wpe', block_size, n_embd, 0.02),
    ('lm_head', vocab_size, n_embd, 0.02),
]
for i in range(n_layer):
    parameter_layout.append((f'layer{i}.attn_wq', n_embd, n_embd, 0.02))
    parameter_layout.append((f'layer{i}.attn_wk', n_embd, n_embd, 0.02))
    parameter_layout.append((f'layer{i}.attn_wv', n_embd, n_embd, 0.02))
    parameter_layout.append((f'layer{i}.attn_wo', n_embd, n_embd, 0))
    parameter_layout.append((f'layer{i}.mlp_fc1', 4 * n_embd, n_embd, 0.02))
    parameter_layout.append((f'layer{i}.mlp_fc2', n_embd, 4 * n_embd, 0))

# Every parameter lives in ONE flat list of floats: matrices one after another, each
# row-major. The offset table maps a matrix name to (start, number_of_rows,
# number_of_columns), so element [row][column] is at start + row * number_of_columns + column,
# and a whole row is the contiguous run that starts at start + row * number_of_columns.
# random.gauss is called in exactly the original's order, with the same arguments
# (std=0 still draws from the random stream), so the values are bit-identical.
parameter_data = []
parameter_offset_table = {}
for name, number_of_rows, number_of_columns, standard_deviation in parameter_layout:
    parameter_offset_table[name] = (len(parameter_data), number_of_rows, number_of_columns)
    for element_index in range(number_of_rows * number_of_columns):
        parameter_data.append(random.gauss(0, standard_deviation))

# The gradients get a flat array of their own, aligned with parameter_data by index:
# entry i of every parameter-sized array describes the same parameter.
parameter_gradients = [0.0] * len(parameter_data)
print(f"num params: {len(parameter_data)}")

# Define the model architecture: a stateless function mapping token sequence and parameters to logits over what comes next.
# Follow GPT-2, blessed among the GPTs, with minor differences: layernorm -> rmsnorm, no biases, GeLU -> ReLU^2
def linear(x, params, matrix_offset):
    # The weight matrix is a block of the flat array: row r is the contiguous run that
    # starts at start + r * number_of_columns. Read it row after row, in order.
    start, number_of_rows, number_of_columns = matrix_offset
    output = []
    for row_index in range(number_of_rows):
        row_start = start + row_index * number_of_columns
        weight_row = params[row_start:row_start + number_of_columns]
        # sum() starts from the integer 0, so the original's first partial sum is 0 + w*x.
        # Keep that start: the graph, and every float in it, stay the same. zip stops at
        # the shorter of the two, exactly as the original's zip(wo, x) did.
        total = 0
        for weight, element in zip(weight_row, x):
            total = total + weight * element
        output.append(total)
    return output

def softmax(logits):
    max_val = max(val.data for val in logits)
    exps = [(val - max_val).exp() for val in logits]
    total = sum(exps)
    return [e / total for e in exps]

def rmsnorm(x):
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]

def gpt(token_id, pos_id, keys, values, params, parameter_offset_table):
    # An embedding is one row of its matrix: a contiguous slice of the flat array.
    start, number_of_rows, number_of_columns = parameter_offset_table['wte']
    row_start = start + token_id * number_of_columns
    tok_emb = params[row_start:row_start + number_of_columns] # token embedding
    start, number_of_rows, number_of_columns = parameter_offset_table['wpe']
    row_start = start + pos_id * number_of_columns
    pos_emb = params[row_start:row_start + number_of_columns] # position embedding
    x = [t + p for t, p in zip(tok_emb, pos_emb)] # joint token and position embedding
    x = rmsnorm(x)

    for li in range(n_layer):
        # 1) Multi-head attention block
        x_residual = x
        x = rmsnorm(x)
        q = linear(x, params, parameter_offset_table[f'layer{li}.attn_wq'])
        k = linear(x, params, parameter_offset_table[f'layer{li}.attn_wk'])
        v = linear(x, params, parameter_offset_table[f'layer{li}.attn_wv'])
        keys[li].append(k)
        values[li].append(v)
        x_attn = []
        for h in range(n_head):
            hs = h * head_dim
            q_h = q[hs:hs+head_dim]
            k_h = [ki[hs:hs+head_dim] for ki in keys[li]]
            v_h = [vi[hs:hs+head_dim] for vi in values[li]]
            attn_logits = [sum(q_h[j] * k_h[t][j] for j in range(head_dim)) / head_dim**0.5 for t in range(len(k_h))]
            attn_weights = softmax(attn_logits)
            head_out = [sum(attn_weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(head_dim)]
            x_attn.extend(head_out)
        x = linear(x_attn, params, parameter_offset_table[f'layer{li}.attn_wo'])
        x = [a + b for a, b in zip(x, x_residual)]
        # 2) MLP block
        x_residual = x
        x = rmsnorm(x)
        x = linear(x, params, parameter_offset_table[f'layer{li}.mlp_fc1'])
        x = [xi.relu() ** 2 for xi in x]
        x = linear(x, params, parameter_offset_table[f'layer{li}.mlp_fc2'])
        x = [a + b for a, b in zip(x, x_residual)]

    logits = linear(x, params, parameter_offset_table['lm_head'])
    return logits

# Let there be Adam, the blessed optimizer and its buffers
learning_rate, beta1, beta2, eps_adam = 1e-2, 0.9, 0.95, 1e-8
first_moment = [0.0] * len(parameter_data) # first moment buffer, aligned with parameter_data
second_moment = [0.0] * len(parameter_data) # second moment buffer, aligned with parameter_data

# Repeat in sequence
num_steps = 500 # number of training steps
for step in range(num_steps):

    # Take single document, tokenize it, surround it with BOS special token on both sides
    doc = docs[step % len(docs)]
    tokens = [BOS] + [uchars.index(ch) for ch in doc] + [BOS]
    n = min(block_size, len(tokens) - 1)

    # The graph-building forward pass still needs Value nodes: wrap this step's floats in
    # fresh ones. params[i] wraps parameter_data[i], so indices line up everywhere.
    params = [Value(data) for data in parameter_data]

    # Forward the token sequence through the model, building up the computation graph all the way to the loss.
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos_id in range(n):
        token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
        logits = gpt(token_id, pos_id, keys, values, params, parameter_offset_table)
        probs = softmax(logits)
        loss_t = -probs[target_id].log()
        losses.append(loss_t)
    loss = (1 / n) * sum(losses) # final average loss over the document sequence. May yours be low.

    # Backward the loss, calculating the gradients with respect to all model parameters.
    loss.backward()

    # Gather the gradients into their flat array, aligned with parameter_data by index.
    for parameter_index in range(len(parameter_data)):
        parameter_gradients[parameter_index] = params[parameter_index].grad

    # Adam optimizer update: one scan over four aligned flat arrays
    # (parameter_data, parameter_gradients, first_moment, second_moment).
    lr_t = learning_rate * 0.5 * (1 + math.cos(math.pi * step / num_steps)) # cosine learning rate decay
    for i in range(len(parameter_data)):
        first_moment[i] = beta1 * first_moment[i] + (1 - beta1) * parameter_gradients[i]
        second_moment[i] = beta2 * second_moment[i] + (1 - beta2) * parameter_gradients[i] ** 2
        m_hat = first_moment[i] / (1 - beta1 ** (step + 1))
        v_hat = second_moment[i] / (1 - beta2 ** (step + 1))
        parameter_data[i] -= lr_t * m_hat / (v_hat ** 0.5 + eps_adam)

    print(f"step {step+1:4d} / {num_steps:4d} | loss {loss.data:.4f}")

# Inference: may the model babble back to us
temperature = 0.5 # in (0, 1], control the "creativity" of generated text, low to high
print("\n--- inference ---")
params = [Value(data) for data in parameter_data] # the trained floats, wrapped for the Value forward pass
for sample_idx in range(20):
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    token_id = BOS
    sample = []
    for pos_id in range(block_size):
        logits = gpt(token_id, pos_id, keys, values, params, parameter_offset_table)
        probs = softmax([l / temperature for l in logits])
        token_id = random.choices(range(vocab_size), weights=[p.data for p in probs])[0]
        if token_id == BOS:
            break
        sample.append(uchars[token_id])
    print(f"sample {sample_idx+1:2d}: {''.join(sample)}")
