"""
Step 11 of 11: Add the TapeIndex alias and type hints to every signature and major binding.

Thesis. The data layout is now the program, so the types should say it. A tape index, a
token id and a position are all ints, and passing one where another belongs is the one
bug this layout invites; TapeIndex names the first kind. Tape names the record of three
parallel columns. Every signature now states what it moves: list[float] for values,
list[TapeIndex] for nodes on the tape, dict[str, tuple[int, int, int]] for the offset
table, and the two KV caches show their difference in their types, tape indices in
training and floats in inference. Annotations change nothing that runs.

This is where the refactor ends: no class, no operator overloading, no hidden state (the
tape, the parameters, the moments and the caches are passed to the functions that use
them), every scalar in a flat array, a backward pass that is one reverse scan, and an
inference path that never records anything.

Derived from microgpt.py by Andrej Karpathy (original/microgpt.py in this workbench),
"the most atomic way to train and inference a GPT in pure, dependency-free Python".
Same output, same samples, final parameters bit-identical to step 10.
"""

import os       # os.path.exists
import math     # math.log, math.exp
import random   # random.seed, random.choices, random.gauss, random.shuffle
from collections.abc import Sequence # a read-only run of indices: a list, or a range of parameter indices
from typing import Any, TypeAlias
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
documents: list[str] = [] # the non-empty lines, stripped
for line in document_lines:
    stripped_line = line.strip()
    if stripped_line != '':
        documents.append(stripped_line)
random.shuffle(documents)
print(f"num docs: {len(documents)}")

# Let there be a Tokenizer to translate strings to discrete symbols and back
unique_characters: list[str] = sorted(set(''.join(documents))) # unique characters in the dataset become token ids 0..n-1
beginning_of_sequence: int = len(unique_characters) # token id for the special Beginning of Sequence (BOS) token
vocabulary_size: int = len(unique_characters) + 1 # total number of unique tokens, +1 is for BOS
print(f"vocab size: {vocabulary_size}")

# The tokenizer's data, built once: character -> token id. A token id is the
# character's position in the sorted vocabulary, exactly what unique_characters.index()
# used to find by scanning the vocabulary for every character of every document.
character_to_token: dict[str, int] = {}
for token_index, character in enumerate(unique_characters):
    character_to_token[character] = token_index

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

# A tape index names one node of the tape. It is an int, like a token id or a position,
# and mixing those up is the one bug this layout invites, so it gets a name of its own.
TapeIndex: TypeAlias = int
# The tape record: (tape_data, tape_children, tape_local_gradients), three parallel columns.
Tape: TypeAlias = tuple[list[float], list[tuple[TapeIndex, ...]], list[tuple[float, ...]]]

def tape_create(parameter_data: list[float]) -> Tape:
    # A fresh tape whose first len(parameter_data) nodes are the parameters (leaves), so
    # that the tape index of parameter i is i, and its gradient lands at index i too.
    tape_data: list[float] = list(parameter_data)
    tape_children: list[tuple[TapeIndex, ...]] = [()] * len(parameter_data)
    tape_local_gradients: list[tuple[float, ...]] = [()] * len(parameter_data)
    return (tape_data, tape_children, tape_local_gradients)

def tape_value(tape: Tape, index: TapeIndex) -> float:
    # The value of one node, as computed in the forward pass.
    tape_data, tape_children, tape_local_gradients = tape
    return tape_data[index]

# The operations. Each reads its inputs' values, computes its own value and its local
# derivatives exactly as the Value method it replaces did (the same expression, so the
# same float), appends one entry to each of the three columns, and returns the index of
# the new node. The three appends are the data layout, so every operation spells them out.

def tape_add(tape: Tape, left_index: TapeIndex, right_index: TapeIndex) -> TapeIndex:
    tape_data, tape_children, tape_local_gradients = tape
    tape_data.append(tape_data[left_index] + tape_data[right_index])
    tape_children.append((left_index, right_index))
    tape_local_gradients.append((1, 1))
    return len(tape_data) - 1

def tape_add_constant(tape: Tape, index: TapeIndex, constant: float) -> TapeIndex:
    # A constant operand is not a node. Value wrapped every constant (the 0 that sum()
    # starts from, -max_val in softmax, 1e-5) in a leaf whose gradient nobody read; the
    # local derivative towards the real input is the same 1 either way.
    tape_data, tape_children, tape_local_gradients = tape
    tape_data.append(tape_data[index] + constant)
    tape_children.append((index,))
    tape_local_gradients.append((1,))
    return len(tape_data) - 1

def tape_multiply(tape: Tape, left_index: TapeIndex, right_index: TapeIndex) -> TapeIndex:
    tape_data, tape_children, tape_local_gradients = tape
    left = tape_data[left_index]
    right = tape_data[right_index]
    tape_data.append(left * right)
    tape_children.append((left_index, right_index))
    tape_local_gradients.append((right, left))
    return len(tape_data) - 1

def tape_multiply_constant(tape: Tape, index: TapeIndex, constant: float) -> TapeIndex:
    # d(x * c)/dx = c, the same local derivative Value used towards x; the constant
    # itself (-1 for negation, 1/n, a reciprocal) needs no node and no gradient.
    tape_data, tape_children, tape_local_gradients = tape
    tape_data.append(tape_data[index] * constant)
    tape_children.append((index,))
    tape_local_gradients.append((constant,))
    return len(tape_data) - 1

def tape_power(tape: Tape, index: TapeIndex, exponent: float) -> TapeIndex:
    tape_data, tape_children, tape_local_gradients = tape
    base = tape_data[index]
    tape_data.append(base ** exponent)
    tape_children.append((index,))
    tape_local_gradients.append((exponent * base ** (exponent - 1),))
    return len(tape_data) - 1

def tape_log(tape: Tape, index: TapeIndex) -> TapeIndex:
    tape_data, tape_children, tape_local_gradients = tape
    argument = tape_data[index]
    tape_data.append(math.log(argument))
    tape_children.append((index,))
    tape_local_gradients.append((1 / argument,))
    return len(tape_data) - 1

def tape_exp(tape: Tape, index: TapeIndex) -> TapeIndex:
    tape_data, tape_children, tape_local_gradients = tape
    exponential = math.exp(tape_data[index])
    tape_data.append(exponential)
    tape_children.append((index,))
    tape_local_gradients.append((exponential,))
    return len(tape_data) - 1

def tape_relu(tape: Tape, index: TapeIndex) -> TapeIndex:
    # max(0, x) returns the integer 0 for x <= 0, as Value.relu did.
    tape_data, tape_children, tape_local_gradients = tape
    argument = tape_data[index]
    tape_data.append(max(0, argument))
    tape_children.append((index,))
    tape_local_gradients.append((float(argument > 0),))
    return len(tape_data) - 1

def tape_backward(tape: Tape, loss_index: TapeIndex) -> list[float]:
    # Reverse-mode differentiation as one backward scan: visit the nodes from the loss
    # down to index 0 and push each node's gradient to its inputs. No recursion and no
    # visited set: creation order already guarantees a node is finished (all its
    # consumers have been visited) before it is read.
    tape_data, tape_children, tape_local_gradients = tape
    tape_gradients: list[float] = [0.0] * len(tape_data)
    tape_gradients[loss_index] = 1.0
    for node_index in range(loss_index, -1, -1):
        node_gradient = tape_gradients[node_index]
        for child_index, local_gradient in zip(tape_children[node_index], tape_local_gradients[node_index]):
            tape_gradients[child_index] += local_gradient * node_gradient
    return tape_gradients

# Initialize the parameters, to store the knowledge of the model.
embedding_dimension: int = 16
number_of_heads: int = 4
number_of_layers: int = 1
maximum_sequence_length: int = 8
head_dimension: int = embedding_dimension // number_of_heads

# The parameter layout, declared in one place: (name, number of rows, number of columns,
# standard deviation of the initial values), in the order the original created them.
parameter_layout: list[tuple[str, int, int, float]] = [
    ('wte', vocabulary_size, embedding_dimension, 0.02),
    ('wpe', maximum_sequence_length, embedding_dimension, 0.02),
    ('lm_head', vocabulary_size, embedding_dimension, 0.02),
]
for layer_index in range(number_of_layers):
    parameter_layout.append((f'layer{layer_index}.attn_wq', embedding_dimension, embedding_dimension, 0.02))
    parameter_layout.append((f'layer{layer_index}.attn_wk', embedding_dimension, embedding_dimension, 0.02))
    parameter_layout.append((f'layer{layer_index}.attn_wv', embedding_dimension, embedding_dimension, 0.02))
    parameter_layout.append((f'layer{layer_index}.attn_wo', embedding_dimension, embedding_dimension, 0))
    parameter_layout.append((f'layer{layer_index}.mlp_fc1', 4 * embedding_dimension, embedding_dimension, 0.02))
    parameter_layout.append((f'layer{layer_index}.mlp_fc2', embedding_dimension, 4 * embedding_dimension, 0))

# Every parameter lives in ONE flat list of floats: matrices one after another, each
# row-major. The offset table maps a matrix name to (start, number_of_rows,
# number_of_columns), so element [row][column] is at start + row * number_of_columns + column,
# and a whole row is the contiguous run that starts at start + row * number_of_columns.
# random.gauss is called in exactly the original's order, with the same arguments
# (std=0 still draws from the random stream), so the values are bit-identical.
parameter_data: list[float] = []
parameter_offset_table: dict[str, tuple[int, int, int]] = {}
for name, number_of_rows, number_of_columns, standard_deviation in parameter_layout:
    parameter_offset_table[name] = (len(parameter_data), number_of_rows, number_of_columns)
    for element_index in range(number_of_rows * number_of_columns):
        parameter_data.append(random.gauss(0, standard_deviation))

print(f"num params: {len(parameter_data)}")

# Define the model architecture: a stateless function mapping token sequence and parameters to logits over what comes next.
# Follow GPT-2, blessed among the GPTs, with minor differences: layernorm -> rmsnorm, no biases, GeLU -> ReLU^2
# The kernels, on the tape. They take and return tape indices, and record every scalar
# operation as a node, in the order the original's Value kernels created them.

def tape_dot(tape: Tape, left_indices: Sequence[TapeIndex], right_indices: Sequence[TapeIndex]) -> TapeIndex:
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

def tape_sum(tape: Tape, indices: list[TapeIndex]) -> TapeIndex:
    # sum(list_of_nodes): 0 + the first, then the others in order.
    total = tape_add_constant(tape, indices[0], 0)
    for position in range(1, len(indices)):
        total = tape_add(tape, total, indices[position])
    return total

def linear_tape(tape: Tape, input_indices: list[TapeIndex], matrix_offset: tuple[int, int, int]) -> list[TapeIndex]:
    # The parameters are the tape's first entries, so the tape indices of a weight row are
    # the consecutive integers starting at start + row * number_of_columns: a range, not a
    # list of pointers.
    start, number_of_rows, number_of_columns = matrix_offset
    output: list[TapeIndex] = []
    for row_index in range(number_of_rows):
        row_start = start + row_index * number_of_columns
        weight_row = range(row_start, row_start + number_of_columns)
        output.append(tape_dot(tape, weight_row, input_indices))
    return output

def softmax_tape(tape: Tape, logits: list[TapeIndex]) -> list[TapeIndex]:
    # The maximum is read as a plain float, as the original read it from .data: it only
    # shifts the exponent for numerical safety, so it is a constant, not a node.
    logit_values: list[float] = [tape_value(tape, index) for index in logits]
    maximum_logit = max(logit_values)
    exponentials: list[TapeIndex] = []
    for index in logits:
        shifted = tape_add_constant(tape, index, -maximum_logit) # logit - maximum_logit was logit + (-maximum_logit)
        exponentials.append(tape_exp(tape, shifted))
    total = tape_sum(tape, exponentials)
    probabilities: list[TapeIndex] = []
    for exponential in exponentials:
        # e / total was e * total**-1: a power node for every element, then a product.
        reciprocal = tape_power(tape, total, -1)
        probabilities.append(tape_multiply(tape, exponential, reciprocal))
    return probabilities

def rmsnorm_tape(tape: Tape, input_indices: list[TapeIndex]) -> list[TapeIndex]:
    sum_of_squares = tape_dot(tape, input_indices, input_indices)
    # sum(...) / len(input) was sum * len(input)**-1: multiply by the reciprocal, a constant.
    mean_square = tape_multiply_constant(tape, sum_of_squares, len(input_indices) ** -1)
    shifted = tape_add_constant(tape, mean_square, 1e-5)
    scale = tape_power(tape, shifted, -0.5)
    return [tape_multiply(tape, element, scale) for element in input_indices]

def forward_training(
    tape: Tape,
    token_id: int,
    position_id: int,
    key_cache: list[list[list[TapeIndex]]],
    value_cache: list[list[list[TapeIndex]]],
    parameter_offset_table: dict[str, tuple[int, int, int]],
) -> list[TapeIndex]:
    # The same forward pass on the tape. Every list below holds tape indices, not objects.
    # An embedding is one row of its matrix; the parameters are the tape's first entries,
    # so the row's tape indices are a run of consecutive integers.
    start, number_of_rows, number_of_columns = parameter_offset_table['wte']
    row_start = start + token_id * number_of_columns
    token_embedding = range(row_start, row_start + number_of_columns)
    start, number_of_rows, number_of_columns = parameter_offset_table['wpe']
    row_start = start + position_id * number_of_columns
    position_embedding = range(row_start, row_start + number_of_columns)
    hidden: list[TapeIndex] = [tape_add(tape, token_node, position_node) for token_node, position_node in zip(token_embedding, position_embedding)] # joint token and position embedding
    hidden = rmsnorm_tape(tape, hidden)

    for layer_index in range(number_of_layers):
        # 1) Multi-head attention block
        residual = hidden
        hidden = rmsnorm_tape(tape, hidden)
        query = linear_tape(tape, hidden, parameter_offset_table[f'layer{layer_index}.attn_wq'])
        key = linear_tape(tape, hidden, parameter_offset_table[f'layer{layer_index}.attn_wk'])
        value = linear_tape(tape, hidden, parameter_offset_table[f'layer{layer_index}.attn_wv'])
        # The training KV cache holds tape indices: key_cache[layer_index][position] is
        # the list of tape indices of that position's key vector. Later positions read
        # these nodes, and the backward scan sends their gradients back through them.
        key_cache[layer_index].append(key)
        value_cache[layer_index].append(value)
        attention_output: list[TapeIndex] = []
        for head_index in range(number_of_heads):
            head_start = head_index * head_dimension
            query_head = query[head_start:head_start+head_dimension]
            key_heads: list[list[TapeIndex]] = [cached_key[head_start:head_start+head_dimension] for cached_key in key_cache[layer_index]]
            value_heads: list[list[TapeIndex]] = [cached_value[head_start:head_start+head_dimension] for cached_value in value_cache[layer_index]]
            attention_logits: list[TapeIndex] = []
            for past_position in range(len(key_heads)):
                dot_product = tape_dot(tape, query_head, key_heads[past_position])
                # / head_dimension**0.5 was * (head_dimension**0.5)**-1: a constant reciprocal.
                attention_logits.append(tape_multiply_constant(tape, dot_product, (head_dimension ** 0.5) ** -1))
            attention_weights = softmax_tape(tape, attention_logits)
            head_output: list[TapeIndex] = []
            for dimension in range(head_dimension):
                value_column: list[TapeIndex] = [value_heads[past_position][dimension] for past_position in range(len(value_heads))]
                head_output.append(tape_dot(tape, attention_weights, value_column))
            attention_output.extend(head_output)
        hidden = linear_tape(tape, attention_output, parameter_offset_table[f'layer{layer_index}.attn_wo'])
        hidden = [tape_add(tape, hidden_node, residual_node) for hidden_node, residual_node in zip(hidden, residual)]
        # 2) MLP block
        residual = hidden
        hidden = rmsnorm_tape(tape, hidden)
        hidden = linear_tape(tape, hidden, parameter_offset_table[f'layer{layer_index}.mlp_fc1'])
        activated: list[TapeIndex] = []
        for element in hidden:
            rectified = tape_relu(tape, element)
            activated.append(tape_power(tape, rectified, 2))
        hidden = activated
        hidden = linear_tape(tape, hidden, parameter_offset_table[f'layer{layer_index}.mlp_fc2'])
        hidden = [tape_add(tape, hidden_node, residual_node) for hidden_node, residual_node in zip(hidden, residual)]

    logits = linear_tape(tape, hidden, parameter_offset_table['lm_head'])
    return logits

# The inference path: the same forward pass on plain floats, with no tape. These kernels
# read parameter_data directly and pass lists of floats from one stage to the next.

def linear_float(input_vector: list[float], parameter_data: list[float], matrix_offset: tuple[int, int, int]) -> list[float]:
    start, number_of_rows, number_of_columns = matrix_offset
    output: list[float] = []
    for row_index in range(number_of_rows):
        row_start = start + row_index * number_of_columns
        weight_row = parameter_data[row_start:row_start + number_of_columns]
        # sum() starts from the integer 0: the first partial sum is 0 + w*x, as on the tape.
        total: float = 0
        for weight, element in zip(weight_row, input_vector):
            total = total + weight * element
        output.append(total)
    return output

def softmax_float(logits: list[float]) -> list[float]:
    maximum_logit = max(logits)
    exponentials: list[float] = []
    for logit in logits:
        exponentials.append(math.exp(logit - maximum_logit))
    total: float = 0
    for exponential in exponentials:
        total = total + exponential
    # e / total was e * total**-1: one reciprocal (the tape recomputed the same float for
    # every element), then one product per element.
    reciprocal = total ** -1
    return [exponential * reciprocal for exponential in exponentials]

def rmsnorm_float(input_vector: list[float]) -> list[float]:
    sum_of_squares: float = 0
    for element in input_vector:
        sum_of_squares = sum_of_squares + element * element
    # sum(...) / len(input) was sum * len(input)**-1.
    mean_square = sum_of_squares * len(input_vector) ** -1
    scale = (mean_square + 1e-5) ** -0.5
    return [element * scale for element in input_vector]

def forward_inference(
    token_id: int,
    position_id: int,
    key_cache: list[list[list[float]]],
    value_cache: list[list[list[float]]],
    parameter_data: list[float],
    parameter_offset_table: dict[str, tuple[int, int, int]],
) -> list[float]:
    # An embedding is one row of its matrix: a slice of parameter_data, plain floats.
    start, number_of_rows, number_of_columns = parameter_offset_table['wte']
    row_start = start + token_id * number_of_columns
    token_embedding = parameter_data[row_start:row_start + number_of_columns]
    start, number_of_rows, number_of_columns = parameter_offset_table['wpe']
    row_start = start + position_id * number_of_columns
    position_embedding = parameter_data[row_start:row_start + number_of_columns]
    hidden: list[float] = [token_value + position_value for token_value, position_value in zip(token_embedding, position_embedding)]
    hidden = rmsnorm_float(hidden)

    for layer_index in range(number_of_layers):
        # 1) Multi-head attention block
        residual = hidden
        hidden = rmsnorm_float(hidden)
        query = linear_float(hidden, parameter_data, parameter_offset_table[f'layer{layer_index}.attn_wq'])
        key = linear_float(hidden, parameter_data, parameter_offset_table[f'layer{layer_index}.attn_wk'])
        value = linear_float(hidden, parameter_data, parameter_offset_table[f'layer{layer_index}.attn_wv'])
        # The inference KV cache holds floats: key_cache[layer][position] is that
        # position's key vector, its numbers and nothing else.
        key_cache[layer_index].append(key)
        value_cache[layer_index].append(value)
        attention_output: list[float] = []
        for head_index in range(number_of_heads):
            head_start = head_index * head_dimension
            query_head = query[head_start:head_start + head_dimension]
            key_heads: list[list[float]] = [cached_key[head_start:head_start + head_dimension] for cached_key in key_cache[layer_index]]
            value_heads: list[list[float]] = [cached_value[head_start:head_start + head_dimension] for cached_value in value_cache[layer_index]]
            attention_logits: list[float] = []
            for past_position in range(len(key_heads)):
                dot_product: float = 0
                for dimension in range(head_dimension):
                    dot_product = dot_product + query_head[dimension] * key_heads[past_position][dimension]
                attention_logits.append(dot_product * (head_dimension ** 0.5) ** -1) # / head_dimension**0.5 was * (head_dimension**0.5)**-1
            attention_weights = softmax_float(attention_logits)
            for dimension in range(head_dimension):
                weighted_sum: float = 0
                for past_position in range(len(value_heads)):
                    weighted_sum = weighted_sum + attention_weights[past_position] * value_heads[past_position][dimension]
                attention_output.append(weighted_sum)
        hidden = linear_float(attention_output, parameter_data, parameter_offset_table[f'layer{layer_index}.attn_wo'])
        hidden = [hidden_value + residual_value for hidden_value, residual_value in zip(hidden, residual)]
        # 2) MLP block
        residual = hidden
        hidden = rmsnorm_float(hidden)
        hidden = linear_float(hidden, parameter_data, parameter_offset_table[f'layer{layer_index}.mlp_fc1'])
        activated: list[float] = []
        for element in hidden:
            rectified = max(0, element)
            activated.append(rectified ** 2)
        hidden = activated
        hidden = linear_float(hidden, parameter_data, parameter_offset_table[f'layer{layer_index}.mlp_fc2'])
        hidden = [hidden_value + residual_value for hidden_value, residual_value in zip(hidden, residual)]

    logits = linear_float(hidden, parameter_data, parameter_offset_table['lm_head'])
    return logits

# Let there be Adam, the blessed optimizer and its buffers
learning_rate: float = 1e-2
beta1: float = 0.9
beta2: float = 0.95
adam_epsilon: float = 1e-8
first_moment: list[float] = [0.0] * len(parameter_data) # first moment buffer, aligned with parameter_data
second_moment: list[float] = [0.0] * len(parameter_data) # second moment buffer, aligned with parameter_data

# Repeat in sequence
number_of_steps: int = 500
for step in range(number_of_steps):

    # Take single document, tokenize it, surround it with the beginning-of-sequence token on both sides
    document = documents[step % len(documents)]
    tokens: list[int] = [beginning_of_sequence]
    for character in document:
        tokens.append(character_to_token[character])
    tokens.append(beginning_of_sequence)
    sequence_length = min(maximum_sequence_length, len(tokens) - 1)

    # A fresh tape for this step, seeded with the parameters: the tape index of
    # parameter i is i, so no parameter needs wrapping and no gradient needs copying.
    tape: Tape = tape_create(parameter_data)

    # Forward the token sequence through the model, recording every operation on the tape all the way to the loss.
    key_cache: list[list[list[Any]]] = [[] for _ in range(number_of_layers)]
    value_cache: list[list[list[Any]]] = [[] for _ in range(number_of_layers)]
    losses: list[TapeIndex] = []
    for position_id in range(sequence_length):
        token_id, target_id = tokens[position_id], tokens[position_id + 1]
        logits: list[Any] = forward_training(tape, token_id, position_id, key_cache, value_cache, parameter_offset_table)
        probabilities: list[Any] = softmax_tape(tape, logits)
        log_probability = tape_log(tape, probabilities[target_id])
        position_loss = tape_multiply_constant(tape, log_probability, -1) # -x was x * -1
        losses.append(position_loss)
    total_loss = tape_sum(tape, losses)
    loss = tape_multiply_constant(tape, total_loss, 1 / sequence_length) # (1 / sequence_length) * sum(losses): final average loss over the document sequence. May yours be low.

    # Backward: one reverse scan of the tape. It returns a gradient for every node; the
    # first len(parameter_data) of them are the parameters' gradients, aligned by index.
    tape_gradients: list[float] = tape_backward(tape, loss)

    # Adam optimizer update: one scan over four aligned flat arrays
    # (parameter_data, tape_gradients, first_moment, second_moment).
    adjusted_learning_rate = learning_rate * 0.5 * (1 + math.cos(math.pi * step / number_of_steps)) # cosine learning rate decay
    for parameter_index in range(len(parameter_data)):
        first_moment[parameter_index] = beta1 * first_moment[parameter_index] + (1 - beta1) * tape_gradients[parameter_index]
        second_moment[parameter_index] = beta2 * second_moment[parameter_index] + (1 - beta2) * tape_gradients[parameter_index] ** 2
        corrected_first_moment = first_moment[parameter_index] / (1 - beta1 ** (step + 1))
        corrected_second_moment = second_moment[parameter_index] / (1 - beta2 ** (step + 1))
        parameter_data[parameter_index] -= adjusted_learning_rate * corrected_first_moment / (corrected_second_moment ** 0.5 + adam_epsilon)

    print(f"step {step+1:4d} / {number_of_steps:4d} | loss {tape_value(tape, loss):.4f}")

# Inference: may the model babble back to us
temperature: float = 0.5 # in (0, 1], control the "creativity" of generated text, low to high
print("\n--- inference ---")
for sample_index in range(20):
    # The inference KV cache holds floats, per layer, per position: no tape at all.
    key_cache = [[] for _ in range(number_of_layers)]
    value_cache = [[] for _ in range(number_of_layers)]
    token_id = beginning_of_sequence
    sample: list[str] = []
    for position_id in range(maximum_sequence_length):
        logits = forward_inference(token_id, position_id, key_cache, value_cache, parameter_data, parameter_offset_table)
        scaled_logits: list[float] = [logit * temperature ** -1 for logit in logits] # logit / temperature was logit * temperature**-1
        probabilities = softmax_float(scaled_logits)
        token_id = random.choices(range(vocabulary_size), weights=probabilities)[0]
        if token_id == beginning_of_sequence:
            break
        sample.append(unique_characters[token_id])
    print(f"sample {sample_index+1:2d}: {''.join(sample)}")
