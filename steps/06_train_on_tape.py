"""
Step 06 of 11: Train on the tape: seed it with the parameters, record forward, scan backward.

Thesis. This is the switch. The hot loop no longer allocates a heap object for every
scalar, and no longer sorts the graph depth-first before every backward pass. Each
training step creates a tape seeded with the parameters, the forward pass and the loss
append to its three arrays, tape_backward scans them once in reverse, and Adam reads the
gradients of the first P entries directly: the gradient of parameter i is at index i.

What "identical" means here changes, and that is the lesson of this step. The forward
pass performs the same floating-point operations in the same order, so every forward
value and every local derivative is bit-identical. But a node with several consumers
receives one gradient contribution per consumer, and the ORDER in which they are added
can change: the original adds them in its reversed depth-first order, the tape in
reverse creation order. In this program the two orders differ at the normalized vector
that feeds the q, k and v projections (the depth-first sort reaches it head by head, the
tape projection by projection) and at the final vector that feeds lm_head (the sort
reaches it first through the target token's row). Floating-point addition is not
associative, so those gradients differ in their last bits, the difference spreads
backward, and the parameters drift by up to about 3e-12 after the 500 steps. The printed losses
and the sampled names are unchanged: equivalence level `print`, not `bit`.

Inference still runs through the Value graph (gpt_value) until step 07.

Derived from microgpt.py by Andrej Karpathy (original/microgpt.py in this workbench).
"""

import os       # os.path.exists
import math     # math.log, math.exp
import random   # random.seed, random.choices, random.gauss, random.shuffle
random.seed(42) # Let there be order among chaos

# Let there be an input dataset `documents`: list[str] of documents (e.g. a dataset of names)
if not os.path.exists('input.txt'):
    import urllib.request
    names_url = 'https://raw.githubusercontent.com/karpathy/makemore/refs/heads/master/names.txt'
    urllib.request.urlretrieve(names_url, 'input.txt')
input_file = open('input.txt')
input_text = input_file.read()
input_file.close()
stripped_text = input_text.strip()
document_lines = stripped_text.split('\n')
documents = [] # list[str] of documents: the non-empty lines, stripped
for line in document_lines:
    stripped_line = line.strip()
    if stripped_line != '':
        documents.append(stripped_line)
random.shuffle(documents)
print(f"num docs: {len(documents)}")

# Let there be a Tokenizer to translate strings to discrete symbols and back
unique_characters = sorted(set(''.join(documents))) # unique characters in the dataset become token ids 0..n-1
BOS = len(unique_characters) # token id for the special Beginning of Sequence (BOS) token
vocab_size = len(unique_characters) + 1 # total number of unique tokens, +1 is for BOS
print(f"vocab size: {vocab_size}")

# The tokenizer's data, built once: character -> token id. A token id is the
# character's position in the sorted vocabulary, exactly what unique_characters.index()
# used to find by scanning the vocabulary for every character of every document.
character_to_token = {}
for token_index, character in enumerate(unique_characters):
    character_to_token[character] = token_index

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

# Let there be a tape: the computation graph as a struct of arrays.
#
# Node i of the tape is entry i of three parallel lists:
#   tape_data[i]             its value, computed in the forward pass
#   tape_children[i]         the tape indices of its inputs (an empty tuple for a leaf)
#   tape_local_gradients[i]  d node / d input, one entry per input, in the same order
# A node is appended after its inputs, so the tape is in topological order by
# construction. The three lists travel together as one tuple, the tape record, and every
# function receives it as an argument: no function touches a global tape.
# Gradients are not a fourth column: they are born in tape_backward, which returns them
# as an array aligned with the tape, and die once the optimizer has read them.

def tape_create(parameter_data):
    # A fresh tape whose first len(parameter_data) nodes are the parameters (leaves), so
    # that the tape index of parameter i is i, and its gradient lands at index i too.
    tape_data = list(parameter_data)
    tape_children = [()] * len(parameter_data)
    tape_local_gradients = [()] * len(parameter_data)
    return (tape_data, tape_children, tape_local_gradients)

def tape_value(tape, index):
    # The value of one node, as computed in the forward pass.
    tape_data, tape_children, tape_local_gradients = tape
    return tape_data[index]

# The operations. Each reads its inputs' values, computes its own value and its local
# derivatives exactly as the Value method it replaces did (the same expression, so the
# same float), appends one entry to each of the three columns, and returns the index of
# the new node. The three appends are the data layout, so every operation spells them out.

def tape_add(tape, left_index, right_index):
    tape_data, tape_children, tape_local_gradients = tape
    tape_data.append(tape_data[left_index] + tape_data[right_index])
    tape_children.append((left_index, right_index))
    tape_local_gradients.append((1, 1))
    return len(tape_data) - 1

def tape_add_constant(tape, index, constant):
    # A constant operand is not a node. Value wrapped every constant (the 0 that sum()
    # starts from, -max_val in softmax, 1e-5) in a leaf whose gradient nobody read; the
    # local derivative towards the real input is the same 1 either way.
    tape_data, tape_children, tape_local_gradients = tape
    tape_data.append(tape_data[index] + constant)
    tape_children.append((index,))
    tape_local_gradients.append((1,))
    return len(tape_data) - 1

def tape_multiply(tape, left_index, right_index):
    tape_data, tape_children, tape_local_gradients = tape
    left = tape_data[left_index]
    right = tape_data[right_index]
    tape_data.append(left * right)
    tape_children.append((left_index, right_index))
    tape_local_gradients.append((right, left))
    return len(tape_data) - 1

def tape_multiply_constant(tape, index, constant):
    # d(x * c)/dx = c, the same local derivative Value used towards x; the constant
    # itself (-1 for negation, 1/n, a reciprocal) needs no node and no gradient.
    tape_data, tape_children, tape_local_gradients = tape
    tape_data.append(tape_data[index] * constant)
    tape_children.append((index,))
    tape_local_gradients.append((constant,))
    return len(tape_data) - 1

def tape_power(tape, index, exponent):
    tape_data, tape_children, tape_local_gradients = tape
    base = tape_data[index]
    tape_data.append(base ** exponent)
    tape_children.append((index,))
    tape_local_gradients.append((exponent * base ** (exponent - 1),))
    return len(tape_data) - 1

def tape_log(tape, index):
    tape_data, tape_children, tape_local_gradients = tape
    argument = tape_data[index]
    tape_data.append(math.log(argument))
    tape_children.append((index,))
    tape_local_gradients.append((1 / argument,))
    return len(tape_data) - 1

def tape_exp(tape, index):
    tape_data, tape_children, tape_local_gradients = tape
    exponential = math.exp(tape_data[index])
    tape_data.append(exponential)
    tape_children.append((index,))
    tape_local_gradients.append((exponential,))
    return len(tape_data) - 1

def tape_relu(tape, index):
    # max(0, x) returns the integer 0 for x <= 0, as Value.relu did.
    tape_data, tape_children, tape_local_gradients = tape
    argument = tape_data[index]
    tape_data.append(max(0, argument))
    tape_children.append((index,))
    tape_local_gradients.append((float(argument > 0),))
    return len(tape_data) - 1

def tape_backward(tape, loss_index):
    # Reverse-mode differentiation as one backward scan: visit the nodes from the loss
    # down to index 0 and push each node's gradient to its inputs. No recursion and no
    # visited set: creation order already guarantees a node is finished (all its
    # consumers have been visited) before it is read.
    tape_data, tape_children, tape_local_gradients = tape
    tape_gradients = [0.0] * len(tape_data)
    tape_gradients[loss_index] = 1.0
    for node_index in range(loss_index, -1, -1):
        node_gradient = tape_gradients[node_index]
        for child_index, local_gradient in zip(tape_children[node_index], tape_local_gradients[node_index]):
            tape_gradients[child_index] += local_gradient * node_gradient
    return tape_gradients

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

print(f"num params: {len(parameter_data)}")

# Define the model architecture: a stateless function mapping token sequence and parameters to logits over what comes next.
# Follow GPT-2, blessed among the GPTs, with minor differences: layernorm -> rmsnorm, no biases, GeLU -> ReLU^2
def linear_value(x, params, matrix_offset):
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

def softmax_value(logits):
    max_val = max(val.data for val in logits)
    exps = [(val - max_val).exp() for val in logits]
    total = sum(exps)
    return [e / total for e in exps]

def rmsnorm_value(x):
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5
    return [xi * scale for xi in x]

# The same three kernels on the tape. They take and return tape indices, and record
# every scalar operation as a node, in the order the Value kernels above created them.

def tape_dot(tape, left_indices, right_indices):
    # sum(l * r for l, r in zip(left, right)), recorded node by node in the order the
    # original's generator evaluated it: product, partial sum, product, partial sum, ...
    # sum() starts from the integer 0, so the first partial sum is 0 + the first product;
    # and zip stops at the shorter of the two sequences.
    pair_count = min(len(left_indices), len(right_indices))
    product = tape_multiply(tape, left_indices[0], right_indices[0])
    total = tape_add_constant(tape, product, 0)
    for pair_index in range(1, pair_count):
        product = tape_multiply(tape, left_indices[pair_index], right_indices[pair_index])
        total = tape_add(tape, total, product)
    return total

def tape_sum(tape, indices):
    # sum(list_of_nodes): 0 + the first, then the others in order.
    total = tape_add_constant(tape, indices[0], 0)
    for position in range(1, len(indices)):
        total = tape_add(tape, total, indices[position])
    return total

def linear(tape, x, matrix_offset):
    # The parameters are the tape's first entries, so the tape indices of a weight row are
    # the consecutive integers starting at start + row * number_of_columns: a range, not a
    # list of pointers.
    start, number_of_rows, number_of_columns = matrix_offset
    output = []
    for row_index in range(number_of_rows):
        row_start = start + row_index * number_of_columns
        weight_row = range(row_start, row_start + number_of_columns)
        output.append(tape_dot(tape, weight_row, x))
    return output

def softmax(tape, logits):
    # The maximum is read as a plain float, as the original read it from .data: it only
    # shifts the exponent for numerical safety, so it is a constant, not a node.
    logit_values = [tape_value(tape, index) for index in logits]
    max_val = max(logit_values)
    exps = []
    for index in logits:
        shifted = tape_add_constant(tape, index, -max_val) # val - max_val was val + (-max_val)
        exps.append(tape_exp(tape, shifted))
    total = tape_sum(tape, exps)
    probabilities = []
    for exponential in exps:
        # e / total was e * total**-1: a power node for every element, then a product.
        reciprocal = tape_power(tape, total, -1)
        probabilities.append(tape_multiply(tape, exponential, reciprocal))
    return probabilities

def rmsnorm(tape, x):
    sum_of_squares = tape_dot(tape, x, x)
    # sum(...) / len(x) was sum * len(x)**-1: multiply by the reciprocal, a constant.
    ms = tape_multiply_constant(tape, sum_of_squares, len(x) ** -1)
    shifted = tape_add_constant(tape, ms, 1e-5)
    scale = tape_power(tape, shifted, -0.5)
    return [tape_multiply(tape, xi, scale) for xi in x]

def gpt_value(token_id, pos_id, keys, values, params, parameter_offset_table):
    # An embedding is one row of its matrix: a contiguous slice of the flat array.
    start, number_of_rows, number_of_columns = parameter_offset_table['wte']
    row_start = start + token_id * number_of_columns
    tok_emb = params[row_start:row_start + number_of_columns] # token embedding
    start, number_of_rows, number_of_columns = parameter_offset_table['wpe']
    row_start = start + pos_id * number_of_columns
    pos_emb = params[row_start:row_start + number_of_columns] # position embedding
    x = [t + p for t, p in zip(tok_emb, pos_emb)] # joint token and position embedding
    x = rmsnorm_value(x)

    for li in range(n_layer):
        # 1) Multi-head attention block
        x_residual = x
        x = rmsnorm_value(x)
        q = linear_value(x, params, parameter_offset_table[f'layer{li}.attn_wq'])
        k = linear_value(x, params, parameter_offset_table[f'layer{li}.attn_wk'])
        v = linear_value(x, params, parameter_offset_table[f'layer{li}.attn_wv'])
        keys[li].append(k)
        values[li].append(v)
        x_attn = []
        for h in range(n_head):
            hs = h * head_dim
            q_h = q[hs:hs+head_dim]
            k_h = [ki[hs:hs+head_dim] for ki in keys[li]]
            v_h = [vi[hs:hs+head_dim] for vi in values[li]]
            attn_logits = [sum(q_h[j] * k_h[t][j] for j in range(head_dim)) / head_dim**0.5 for t in range(len(k_h))]
            attn_weights = softmax_value(attn_logits)
            head_out = [sum(attn_weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(head_dim)]
            x_attn.extend(head_out)
        x = linear_value(x_attn, params, parameter_offset_table[f'layer{li}.attn_wo'])
        x = [a + b for a, b in zip(x, x_residual)]
        # 2) MLP block
        x_residual = x
        x = rmsnorm_value(x)
        x = linear_value(x, params, parameter_offset_table[f'layer{li}.mlp_fc1'])
        x = [xi.relu() ** 2 for xi in x]
        x = linear_value(x, params, parameter_offset_table[f'layer{li}.mlp_fc2'])
        x = [a + b for a, b in zip(x, x_residual)]

    logits = linear_value(x, params, parameter_offset_table['lm_head'])
    return logits

def gpt(tape, token_id, pos_id, keys, values, parameter_offset_table):
    # The same forward pass on the tape. Every list below holds tape indices, not objects.
    # An embedding is one row of its matrix; the parameters are the tape's first entries,
    # so the row's tape indices are a run of consecutive integers.
    start, number_of_rows, number_of_columns = parameter_offset_table['wte']
    row_start = start + token_id * number_of_columns
    tok_emb = range(row_start, row_start + number_of_columns) # token embedding
    start, number_of_rows, number_of_columns = parameter_offset_table['wpe']
    row_start = start + pos_id * number_of_columns
    pos_emb = range(row_start, row_start + number_of_columns) # position embedding
    x = [tape_add(tape, t, p) for t, p in zip(tok_emb, pos_emb)] # joint token and position embedding
    x = rmsnorm(tape, x)

    for li in range(n_layer):
        # 1) Multi-head attention block
        x_residual = x
        x = rmsnorm(tape, x)
        q = linear(tape, x, parameter_offset_table[f'layer{li}.attn_wq'])
        k = linear(tape, x, parameter_offset_table[f'layer{li}.attn_wk'])
        v = linear(tape, x, parameter_offset_table[f'layer{li}.attn_wv'])
        # The training KV cache holds tape indices: keys[li][t] is the list of tape
        # indices of position t's key vector. Later positions read these nodes, and the
        # backward scan sends their gradients back through them.
        keys[li].append(k)
        values[li].append(v)
        x_attn = []
        for h in range(n_head):
            hs = h * head_dim
            q_h = q[hs:hs+head_dim]
            k_h = [ki[hs:hs+head_dim] for ki in keys[li]]
            v_h = [vi[hs:hs+head_dim] for vi in values[li]]
            attn_logits = []
            for t in range(len(k_h)):
                dot_product = tape_dot(tape, q_h, k_h[t])
                # / head_dim**0.5 was * (head_dim**0.5)**-1: a constant reciprocal.
                attn_logits.append(tape_multiply_constant(tape, dot_product, (head_dim ** 0.5) ** -1))
            attn_weights = softmax(tape, attn_logits)
            head_out = []
            for j in range(head_dim):
                value_column = [v_h[t][j] for t in range(len(v_h))]
                head_out.append(tape_dot(tape, attn_weights, value_column))
            x_attn.extend(head_out)
        x = linear(tape, x_attn, parameter_offset_table[f'layer{li}.attn_wo'])
        x = [tape_add(tape, a, b) for a, b in zip(x, x_residual)]
        # 2) MLP block
        x_residual = x
        x = rmsnorm(tape, x)
        x = linear(tape, x, parameter_offset_table[f'layer{li}.mlp_fc1'])
        activated = []
        for xi in x:
            rectified = tape_relu(tape, xi)
            activated.append(tape_power(tape, rectified, 2))
        x = activated
        x = linear(tape, x, parameter_offset_table[f'layer{li}.mlp_fc2'])
        x = [tape_add(tape, a, b) for a, b in zip(x, x_residual)]

    logits = linear(tape, x, parameter_offset_table['lm_head'])
    return logits

# Let there be Adam, the blessed optimizer and its buffers
learning_rate, beta1, beta2, eps_adam = 1e-2, 0.9, 0.95, 1e-8
first_moment = [0.0] * len(parameter_data) # first moment buffer, aligned with parameter_data
second_moment = [0.0] * len(parameter_data) # second moment buffer, aligned with parameter_data

# Repeat in sequence
num_steps = 500 # number of training steps
for step in range(num_steps):

    # Take single document, tokenize it, surround it with BOS special token on both sides
    doc = documents[step % len(documents)]
    tokens = [BOS]
    for character in doc:
        tokens.append(character_to_token[character])
    tokens.append(BOS)
    n = min(block_size, len(tokens) - 1)

    # A fresh tape for this step, seeded with the parameters: the tape index of
    # parameter i is i, so no parameter needs wrapping and no gradient needs copying.
    tape = tape_create(parameter_data)

    # Forward the token sequence through the model, recording every operation on the tape all the way to the loss.
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    losses = []
    for pos_id in range(n):
        token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
        logits = gpt(tape, token_id, pos_id, keys, values, parameter_offset_table)
        probs = softmax(tape, logits)
        log_probability = tape_log(tape, probs[target_id])
        loss_t = tape_multiply_constant(tape, log_probability, -1) # -x was x * -1
        losses.append(loss_t)
    total_loss = tape_sum(tape, losses)
    loss = tape_multiply_constant(tape, total_loss, 1 / n) # (1 / n) * sum(losses): final average loss over the document sequence. May yours be low.

    # Backward: one reverse scan of the tape. It returns a gradient for every node; the
    # first len(parameter_data) of them are the parameters' gradients, aligned by index.
    tape_gradients = tape_backward(tape, loss)

    # Adam optimizer update: one scan over four aligned flat arrays
    # (parameter_data, tape_gradients, first_moment, second_moment).
    lr_t = learning_rate * 0.5 * (1 + math.cos(math.pi * step / num_steps)) # cosine learning rate decay
    for i in range(len(parameter_data)):
        first_moment[i] = beta1 * first_moment[i] + (1 - beta1) * tape_gradients[i]
        second_moment[i] = beta2 * second_moment[i] + (1 - beta2) * tape_gradients[i] ** 2
        m_hat = first_moment[i] / (1 - beta1 ** (step + 1))
        v_hat = second_moment[i] / (1 - beta2 ** (step + 1))
        parameter_data[i] -= lr_t * m_hat / (v_hat ** 0.5 + eps_adam)

    print(f"step {step+1:4d} / {num_steps:4d} | loss {tape_value(tape, loss):.4f}")

# Inference: may the model babble back to us
temperature = 0.5 # in (0, 1], control the "creativity" of generated text, low to high
print("\n--- inference ---")
params = [Value(data) for data in parameter_data] # the trained floats, wrapped for the Value forward pass
for sample_idx in range(20):
    keys, values = [[] for _ in range(n_layer)], [[] for _ in range(n_layer)]
    token_id = BOS
    sample = []
    for pos_id in range(block_size):
        logits = gpt_value(token_id, pos_id, keys, values, params, parameter_offset_table)
        probs = softmax_value([l / temperature for l in logits])
        token_id = random.choices(range(vocab_size), weights=[p.data for p in probs])[0]
        if token_id == BOS:
            break
        sample.append(unique_characters[token_id])
    print(f"sample {sample_idx+1:2d}: {''.join(sample)}")
