"""
Step 16, beyond the plan: Skip the multiply-adds of inactive MLP units, which are exactly zero.

Thesis. Look at the data, not only at the code. After a few hundred training steps about
three quarters of the MLP's hidden units are inactive at any position: their input to
the ReLU is not positive, so their activation is exactly 0, and every multiply-add that
touches them adds a zero. The MLP's second matrix reads the activations, so its forward
pass and its weight gradients only need the active columns; and an inactive unit's
gradient is exactly 0.0, so the backward pass of the first matrix can skip its row. The
active units are found once per position from the first matrix's output (positive means
active), and the sums still run over the active columns in increasing order, starting
from the integer 0: a skipped term was a product with 0, which adds nothing to a sum
that cannot be -0.0, so every float is the same as before. This is where the extension
track ends: the tape records vector operations, the hot loops walk contiguous runs and
skip the work the data says is zero, and what remains is the multiply-adds themselves,
at the speed CPython executes them.

Derived from microgpt.py by Andrej Karpathy (original/microgpt.py in this workbench),
"the most atomic way to train and inference a GPT in pure, dependency-free Python".
Same output, same samples, final parameters bit-identical to step 15.
"""

import os       # os.path.exists
import math     # math.log, math.exp
import random   # random.seed, random.choices, random.gauss, random.shuffle
from typing import TypeAlias
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

# Let there be a tape: the computation graph as one record per vector operation.
#
# The tape is two lists:
#   activation_data   every number the forward pass computes, vector after vector: a
#                     vector of width w written at offset o occupies activation_data[o:o+w]
#   tape_operations   one record per operation, in the order they ran: a tuple of
#                     integers, the operation's kind first, then the offsets and widths
#                     of the vectors it read and wrote (and a matrix's place in
#                     parameter_data for a linear layer)
# A record is appended after the records of its inputs, so the list is in topological
# order by construction, as step 11's scalar tape was; the backward pass is still one
# reverse scan, now over a few dozen records per position instead of thousands of scalars.
# Why offsets and not lists: a vector is a contiguous run of one flat array, so a record
# stays a handful of ints however wide the vector is, and the backward loops walk the
# same runs in the other direction.
#
# Some operations keep, right after their output, the intermediate numbers their backward
# loop needs (rmsnorm its shifted mean square and its scale, softmax its exponentials
# and its reciprocal), because recomputing them would cost as much as the forward pass.

# An offset names the start of a vector in activation_data. It is an int, like a token
# id, a position or a parameter index, so it gets a name of its own.
Offset: TypeAlias = int
# One operation: its kind, then integers whose meaning the kind decides (see each record_* function).
OperationRecord: TypeAlias = tuple[int, ...]
# The tape record: (activation_data, tape_operations).
Tape: TypeAlias = tuple[list[float], list[OperationRecord]]

# The kinds of operation, one per hand-written backward loop in tape_backward.
EMBEDDING_OPERATION: int = 0
RMSNORM_OPERATION: int = 1
LINEAR_OPERATION: int = 2
ATTENTION_HEAD_OPERATION: int = 3
RESIDUAL_ADD_OPERATION: int = 4
RELU_SQUARE_OPERATION: int = 5
CROSS_ENTROPY_OPERATION: int = 6
MEAN_OPERATION: int = 7
ACTIVE_COLUMNS_LINEAR_OPERATION: int = 8

def tape_create() -> Tape:
    # An empty tape. The parameters are not on it: they stay in parameter_data, and the
    # records that read them (embedding, linear) hold their offsets there.
    activation_data: list[float] = []
    tape_operations: list[OperationRecord] = []
    return (activation_data, tape_operations)

def tape_value(tape: Tape, offset: Offset) -> float:
    # The value of one number on the tape, as computed in the forward pass.
    activation_data, tape_operations = tape
    return activation_data[offset]

def tape_reserve(tape: Tape, width: int) -> Offset:
    # Room for a vector that several operations fill in place (the attention heads write
    # side by side into one output vector; each position's loss has its own slot).
    activation_data, tape_operations = tape
    offset = len(activation_data)
    for element_index in range(width):
        activation_data.append(0.0)
    return offset

# The operations. Each computes its output vector with exactly the expressions step 11
# recorded node by node, appends it to activation_data, appends one record to
# tape_operations and returns the offset of its output.

def record_embedding(tape: Tape, parameter_data: list[float], token_row_start: int, position_row_start: int, width: int) -> Offset:
    # The joint token and position embedding: two rows of parameter_data, added.
    activation_data, tape_operations = tape
    output_offset = len(activation_data)
    for element_index in range(width):
        activation_data.append(parameter_data[token_row_start + element_index] + parameter_data[position_row_start + element_index])
    tape_operations.append((EMBEDDING_OPERATION, token_row_start, position_row_start, width, output_offset))
    return output_offset

def record_rmsnorm(tape: Tape, input_offset: Offset, width: int) -> Offset:
    # Layout after the output vector: [shifted mean square, scale], for the backward loop.
    activation_data, tape_operations = tape
    sum_of_squares = 0
    for element_index in range(width):
        element = activation_data[input_offset + element_index]
        sum_of_squares = sum_of_squares + element * element
    mean_square = sum_of_squares * width ** -1 # sum(...) / len(input) was sum * len(input)**-1
    shifted = mean_square + 1e-5
    scale = shifted ** -0.5
    output_offset = len(activation_data)
    for element_index in range(width):
        activation_data.append(activation_data[input_offset + element_index] * scale)
    activation_data.append(shifted)
    activation_data.append(scale)
    tape_operations.append((RMSNORM_OPERATION, input_offset, width, output_offset))
    return output_offset

def record_linear(tape: Tape, parameter_data: list[float], input_offset: Offset, matrix_offset: tuple[int, int, int]) -> Offset:
    # One dot product per row of the matrix; a row is the run of parameter_data that
    # starts at start + row * number_of_columns. Each sum starts from the integer 0.
    activation_data, tape_operations = tape
    start, number_of_rows, number_of_columns = matrix_offset
    output_offset = len(activation_data)
    # Why slices: a row and the input vector are contiguous runs, so copy each out once
    # (one C-level copy) and walk the two copies side by side with zip, instead of
    # computing two offsets and indexing two long lists for every multiply-add.
    input_vector = activation_data[input_offset:input_offset + number_of_columns]
    for row_index in range(number_of_rows):
        row_start = start + row_index * number_of_columns
        weight_row = parameter_data[row_start:row_start + number_of_columns]
        total = 0
        for weight, element in zip(weight_row, input_vector):
            total = total + weight * element
        activation_data.append(total)
    tape_operations.append((LINEAR_OPERATION, input_offset, output_offset, start, number_of_rows, number_of_columns))
    return output_offset

def softmax_append(activation_data: list[float], logits: list[float]) -> Offset:
    # The softmax of some logits, appended as [exponentials, total, reciprocal,
    # probabilities]; returns the offset of the exponentials. The maximum only shifts the
    # exponent for numerical safety, and e / total was e * total**-1.
    maximum_logit = max(logits)
    exponentials_offset = len(activation_data)
    for logit in logits:
        activation_data.append(math.exp(logit - maximum_logit))
    total = 0
    for element_index in range(len(logits)):
        total = total + activation_data[exponentials_offset + element_index]
    reciprocal = total ** -1
    activation_data.append(total)
    activation_data.append(reciprocal)
    for element_index in range(len(logits)):
        activation_data.append(activation_data[exponentials_offset + element_index] * reciprocal)
    return exponentials_offset

def record_attention_head(
    tape: Tape,
    query_offset: Offset,
    key_offsets: list[Offset],
    value_offsets: list[Offset],
    layer_index: int,
    head_start: int,
    output_offset: Offset,
) -> None:
    # One head at one position: the query's slice against every cached key's slice, a
    # softmax over those logits, and the weighted sum of the cached values' slices,
    # written into the head's slice of the reserved attention output vector.
    # key_offsets[past_position] is where that position's key vector starts.
    activation_data, tape_operations = tape
    number_of_positions = len(key_offsets)
    attention_logits: list[float] = []
    for past_position in range(number_of_positions):
        key_start = key_offsets[past_position] + head_start
        dot_product = 0
        for dimension in range(head_dimension):
            dot_product = dot_product + activation_data[query_offset + head_start + dimension] * activation_data[key_start + dimension]
        attention_logits.append(dot_product * (head_dimension ** 0.5) ** -1) # / head_dimension**0.5 was * (head_dimension**0.5)**-1
    exponentials_offset = softmax_append(activation_data, attention_logits)
    weights_offset = exponentials_offset + number_of_positions + 2
    for dimension in range(head_dimension):
        weighted_sum = 0
        for past_position in range(number_of_positions):
            weighted_sum = weighted_sum + activation_data[weights_offset + past_position] * activation_data[value_offsets[past_position] + head_start + dimension]
        activation_data[output_offset + head_start + dimension] = weighted_sum
    tape_operations.append((ATTENTION_HEAD_OPERATION, layer_index, number_of_positions, head_start, query_offset, exponentials_offset, output_offset))

def active_columns(activation_data: list[float], gate_offset: Offset, width: int) -> list[int]:
    # The units whose ReLU input is positive, in increasing order. The others have an
    # activation of exactly 0 (max(0, x) is the integer 0) and a gradient of exactly 0.
    columns: list[int] = []
    for column_index in range(width):
        if activation_data[gate_offset + column_index] > 0:
            columns.append(column_index)
    return columns

def record_linear_active_columns(tape: Tape, parameter_data: list[float], input_offset: Offset, gate_offset: Offset, matrix_offset: tuple[int, int, int]) -> Offset:
    # A linear layer whose input is mostly exact zeros (the MLP's activations): each row's
    # sum runs over the active columns only, in increasing order, from the integer 0.
    # gate_offset is where the ReLU's input starts: positive there means active.
    activation_data, tape_operations = tape
    start, number_of_rows, number_of_columns = matrix_offset
    output_offset = len(activation_data)
    columns = active_columns(activation_data, gate_offset, number_of_columns)
    input_vector = activation_data[input_offset:input_offset + number_of_columns]
    for row_index in range(number_of_rows):
        row_start = start + row_index * number_of_columns
        weight_row = parameter_data[row_start:row_start + number_of_columns]
        total = 0
        for column_index in columns:
            total = total + weight_row[column_index] * input_vector[column_index]
        activation_data.append(total)
    tape_operations.append((ACTIVE_COLUMNS_LINEAR_OPERATION, input_offset, output_offset, start, number_of_rows, number_of_columns, gate_offset))
    return output_offset

def record_residual_add(tape: Tape, left_offset: Offset, right_offset: Offset, width: int) -> Offset:
    activation_data, tape_operations = tape
    output_offset = len(activation_data)
    for element_index in range(width):
        activation_data.append(activation_data[left_offset + element_index] + activation_data[right_offset + element_index])
    tape_operations.append((RESIDUAL_ADD_OPERATION, left_offset, right_offset, width, output_offset))
    return output_offset

def record_relu_square(tape: Tape, input_offset: Offset, width: int) -> Offset:
    # max(0, x) returns the integer 0 for x <= 0, as Value.relu did; then ** 2.
    activation_data, tape_operations = tape
    output_offset = len(activation_data)
    for element_index in range(width):
        rectified = max(0, activation_data[input_offset + element_index])
        activation_data.append(rectified ** 2)
    tape_operations.append((RELU_SQUARE_OPERATION, input_offset, width, output_offset))
    return output_offset

def record_cross_entropy(tape: Tape, logits_offset: Offset, width: int, target_id: int, loss_offset: Offset) -> None:
    # The position's loss, -log(softmax(logits)[target]), written into its reserved slot.
    activation_data, tape_operations = tape
    logits: list[float] = activation_data[logits_offset:logits_offset + width]
    exponentials_offset = softmax_append(activation_data, logits)
    probability = activation_data[exponentials_offset + width + 2 + target_id]
    log_probability = math.log(probability)
    activation_data[loss_offset] = log_probability * -1 # -x was x * -1
    tape_operations.append((CROSS_ENTROPY_OPERATION, logits_offset, width, target_id, exponentials_offset, loss_offset))

def record_mean(tape: Tape, input_offset: Offset, width: int) -> Offset:
    # (1 / n) * sum(losses): the sum starts from the integer 0.
    activation_data, tape_operations = tape
    total = 0
    for element_index in range(width):
        total = total + activation_data[input_offset + element_index]
    output_offset = len(activation_data)
    activation_data.append(total * (1 / width))
    tape_operations.append((MEAN_OPERATION, input_offset, width, output_offset))
    return output_offset

# The backward pass. Every loop below adds each contribution to a gradient in the order
# step 11's reverse scan of scalar nodes added it: the records are visited in reverse,
# and inside a record the loops run backwards over whatever step 11 created forwards
# (rows of a linear layer, positions of an attention head, elements of a softmax).
# The local derivatives are the ones Value defined: 1 for an add, the other factor for a
# product, exponent * base ** (exponent - 1) for a power, 1 / x for log, exp(x) for exp.

def softmax_backward(activation_data: list[float], exponentials_offset: Offset, width: int, probability_gradients: list[float]) -> list[float]:
    # From the gradients of the probabilities to the gradients of the logits. Step 11
    # recorded, per element, e = exp(logit - maximum), then the total as a chain of adds,
    # then per element a power node total ** -1 and a product e * reciprocal.
    total = activation_data[exponentials_offset + width]
    reciprocal = activation_data[exponentials_offset + width + 1]
    power_local_gradient = -1 * total ** -2 # d(total ** -1) / d total, as Value.__pow__ computed it
    exponential_gradients: list[float] = [0.0] * width
    total_gradient = 0.0
    for element_index in range(width - 1, -1, -1):
        probability_gradient = probability_gradients[element_index]
        exponential_gradients[element_index] += reciprocal * probability_gradient
        reciprocal_gradient = activation_data[exponentials_offset + element_index] * probability_gradient
        total_gradient += power_local_gradient * reciprocal_gradient
    logit_gradients: list[float] = [0.0] * width
    for element_index in range(width):
        exponential_gradients[element_index] += total_gradient
        logit_gradients[element_index] = activation_data[exponentials_offset + element_index] * exponential_gradients[element_index]
    return logit_gradients

def tape_backward(
    tape: Tape,
    loss_offset: Offset,
    parameter_data: list[float],
    key_cache: list[list[Offset]],
    value_cache: list[list[Offset]],
) -> list[float]:
    # Reverse-mode differentiation as one backward scan over the operation records.
    # Returns the gradients of the parameters, aligned with parameter_data; the gradients
    # of the activations live in activation_gradients, aligned with activation_data.
    activation_data, tape_operations = tape
    activation_gradients: list[float] = [0.0] * len(activation_data)
    parameter_gradients: list[float] = [0.0] * len(parameter_data)
    activation_gradients[loss_offset] = 1.0
    for operation_index in range(len(tape_operations) - 1, -1, -1):
        operation = tape_operations[operation_index]
        kind = operation[0]
        if kind == LINEAR_OPERATION:
            # Rows in reverse: an input element collects one contribution per row, last row first.
            input_offset = operation[1]
            output_offset = operation[2]
            start = operation[3]
            number_of_rows = operation[4]
            number_of_columns = operation[5]
            # Why slices: the input, its gradients, a weight row and that row's
            # gradients are four short contiguous runs. Copy each out once (a C-level
            # copy), update the copies with plain column indices, and write the two
            # gradient runs back once: no offset arithmetic per multiply-add, and the
            # input's gradients stay in one small local list across all the rows.
            input_end = input_offset + number_of_columns
            input_vector = activation_data[input_offset:input_end]
            input_gradient = activation_gradients[input_offset:input_end]
            for row_index in range(number_of_rows - 1, -1, -1):
                output_gradient = activation_gradients[output_offset + row_index]
                # A row whose output has a gradient of exactly 0.0 (an inactive MLP
                # unit's, for the first MLP matrix) would only add products with 0.
                if output_gradient != 0.0:
                    row_start = start + row_index * number_of_columns
                    row_end = row_start + number_of_columns
                    weight_row = parameter_data[row_start:row_end]
                    gradient_row = parameter_gradients[row_start:row_end]
                    for column_index in range(number_of_columns):
                        gradient_row[column_index] += input_vector[column_index] * output_gradient
                        input_gradient[column_index] += weight_row[column_index] * output_gradient
                    parameter_gradients[row_start:row_end] = gradient_row
            activation_gradients[input_offset:input_end] = input_gradient
        elif kind == ACTIVE_COLUMNS_LINEAR_OPERATION:
            # The same loops over the active columns only: an inactive column's input is
            # exactly 0, so its weights' gradients would only add products with 0, and
            # its own gradient would only be multiplied by the ReLU's local derivative, 0.
            input_offset = operation[1]
            output_offset = operation[2]
            start = operation[3]
            number_of_rows = operation[4]
            number_of_columns = operation[5]
            gate_offset = operation[6]
            columns = active_columns(activation_data, gate_offset, number_of_columns)
            input_end = input_offset + number_of_columns
            input_vector = activation_data[input_offset:input_end]
            input_gradient = activation_gradients[input_offset:input_end]
            for row_index in range(number_of_rows - 1, -1, -1):
                output_gradient = activation_gradients[output_offset + row_index]
                row_start = start + row_index * number_of_columns
                row_end = row_start + number_of_columns
                weight_row = parameter_data[row_start:row_end]
                gradient_row = parameter_gradients[row_start:row_end]
                for column_index in columns:
                    gradient_row[column_index] += input_vector[column_index] * output_gradient
                    input_gradient[column_index] += weight_row[column_index] * output_gradient
                parameter_gradients[row_start:row_end] = gradient_row
            activation_gradients[input_offset:input_end] = input_gradient
        elif kind == RMSNORM_OPERATION:
            input_offset = operation[1]
            width = operation[2]
            output_offset = operation[3]
            shifted = activation_data[output_offset + width]
            scale = activation_data[output_offset + width + 1]
            # output = input * scale, element by element, last element first.
            scale_gradient = 0.0
            for element_index in range(width - 1, -1, -1):
                output_gradient = activation_gradients[output_offset + element_index]
                activation_gradients[input_offset + element_index] += scale * output_gradient
                scale_gradient += activation_data[input_offset + element_index] * output_gradient
            # scale = shifted ** -0.5, shifted = mean_square + 1e-5, mean_square = sum * width ** -1.
            shifted_gradient = -0.5 * shifted ** (-0.5 - 1) * scale_gradient
            sum_of_squares_gradient = width ** -1 * shifted_gradient
            # Each square element * element sends the gradient to its input twice, once
            # per factor: two additions, not one addition of twice the amount.
            for element_index in range(width - 1, -1, -1):
                element = activation_data[input_offset + element_index]
                activation_gradients[input_offset + element_index] += element * sum_of_squares_gradient
                activation_gradients[input_offset + element_index] += element * sum_of_squares_gradient
        elif kind == ATTENTION_HEAD_OPERATION:
            layer_index = operation[1]
            number_of_positions = operation[2]
            head_start = operation[3]
            query_offset = operation[4]
            exponentials_offset = operation[5]
            output_offset = operation[6]
            weights_offset = exponentials_offset + number_of_positions + 2
            # The weighted sums of the values: last dimension first, last position first.
            weight_gradients: list[float] = [0.0] * number_of_positions
            for dimension in range(head_dimension - 1, -1, -1):
                output_gradient = activation_gradients[output_offset + head_start + dimension]
                for past_position in range(number_of_positions - 1, -1, -1):
                    value_index = value_cache[layer_index][past_position] + head_start + dimension
                    weight_gradients[past_position] += activation_data[value_index] * output_gradient
                    activation_gradients[value_index] += activation_data[weights_offset + past_position] * output_gradient
            logit_gradients = softmax_backward(activation_data, exponentials_offset, number_of_positions, weight_gradients)
            # The scaled dot products of the query with each key: last position first.
            for past_position in range(number_of_positions - 1, -1, -1):
                dot_product_gradient = (head_dimension ** 0.5) ** -1 * logit_gradients[past_position]
                key_start = key_cache[layer_index][past_position] + head_start
                for dimension in range(head_dimension - 1, -1, -1):
                    query_index = query_offset + head_start + dimension
                    activation_gradients[query_index] += activation_data[key_start + dimension] * dot_product_gradient
                    activation_gradients[key_start + dimension] += activation_data[query_index] * dot_product_gradient
        elif kind == RESIDUAL_ADD_OPERATION:
            left_offset = operation[1]
            right_offset = operation[2]
            width = operation[3]
            output_offset = operation[4]
            for element_index in range(width - 1, -1, -1):
                output_gradient = activation_gradients[output_offset + element_index]
                activation_gradients[left_offset + element_index] += output_gradient
                activation_gradients[right_offset + element_index] += output_gradient
        elif kind == RELU_SQUARE_OPERATION:
            input_offset = operation[1]
            width = operation[2]
            output_offset = operation[3]
            for element_index in range(width - 1, -1, -1):
                argument = activation_data[input_offset + element_index]
                rectified = max(0, argument)
                # d(r ** 2)/dr = 2 * r ** 1, the same float as 2 * r.
                rectified_gradient = 2 * rectified * activation_gradients[output_offset + element_index]
                activation_gradients[input_offset + element_index] += float(argument > 0) * rectified_gradient
        elif kind == EMBEDDING_OPERATION:
            token_row_start = operation[1]
            position_row_start = operation[2]
            width = operation[3]
            output_offset = operation[4]
            for element_index in range(width - 1, -1, -1):
                output_gradient = activation_gradients[output_offset + element_index]
                parameter_gradients[token_row_start + element_index] += output_gradient
                parameter_gradients[position_row_start + element_index] += output_gradient
        elif kind == CROSS_ENTROPY_OPERATION:
            logits_offset = operation[1]
            width = operation[2]
            target_id = operation[3]
            exponentials_offset = operation[4]
            loss_offset_of_position = operation[5]
            # loss = log(probability) * -1: only the target's probability has a gradient.
            log_probability_gradient = -1 * activation_gradients[loss_offset_of_position]
            probability = activation_data[exponentials_offset + width + 2 + target_id]
            probability_gradients: list[float] = [0.0] * width
            probability_gradients[target_id] = 1 / probability * log_probability_gradient
            logit_gradients = softmax_backward(activation_data, exponentials_offset, width, probability_gradients)
            for element_index in range(width):
                activation_gradients[logits_offset + element_index] += logit_gradients[element_index]
        elif kind == MEAN_OPERATION:
            input_offset = operation[1]
            width = operation[2]
            output_offset = operation[3]
            total_gradient = (1 / width) * activation_gradients[output_offset]
            for element_index in range(width - 1, -1, -1):
                activation_gradients[input_offset + element_index] += total_gradient
    return parameter_gradients

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

def forward_training(
    tape: Tape,
    parameter_data: list[float],
    token_id: int,
    position_id: int,
    key_cache: list[list[Offset]],
    value_cache: list[list[Offset]],
    parameter_offset_table: dict[str, tuple[int, int, int]],
) -> Offset:
    # The forward pass as a sequence of vector operations on the tape. Every name below
    # holds an offset into activation_data, not a list of values or of nodes; returns
    # the offset of the logits.
    start, number_of_rows, number_of_columns = parameter_offset_table['wte']
    token_row_start = start + token_id * number_of_columns
    start, number_of_rows, number_of_columns = parameter_offset_table['wpe']
    position_row_start = start + position_id * number_of_columns
    hidden = record_embedding(tape, parameter_data, token_row_start, position_row_start, embedding_dimension) # joint token and position embedding
    hidden = record_rmsnorm(tape, hidden, embedding_dimension)

    for layer_index in range(number_of_layers):
        # 1) Multi-head attention block
        residual = hidden
        hidden = record_rmsnorm(tape, hidden, embedding_dimension)
        query = record_linear(tape, parameter_data, hidden, parameter_offset_table[f'layer{layer_index}.attn_wq'])
        key = record_linear(tape, parameter_data, hidden, parameter_offset_table[f'layer{layer_index}.attn_wk'])
        value = record_linear(tape, parameter_data, hidden, parameter_offset_table[f'layer{layer_index}.attn_wv'])
        # The training KV cache holds offsets: key_cache[layer_index][position] is where
        # that position's key vector starts in activation_data.
        key_cache[layer_index].append(key)
        value_cache[layer_index].append(value)
        attention_output = tape_reserve(tape, embedding_dimension)
        for head_index in range(number_of_heads):
            head_start = head_index * head_dimension
            record_attention_head(tape, query, key_cache[layer_index], value_cache[layer_index], layer_index, head_start, attention_output)
        hidden = record_linear(tape, parameter_data, attention_output, parameter_offset_table[f'layer{layer_index}.attn_wo'])
        hidden = record_residual_add(tape, hidden, residual, embedding_dimension)
        # 2) MLP block
        residual = hidden
        hidden = record_rmsnorm(tape, hidden, embedding_dimension)
        gate = record_linear(tape, parameter_data, hidden, parameter_offset_table[f'layer{layer_index}.mlp_fc1'])
        hidden = record_relu_square(tape, gate, 4 * embedding_dimension)
        hidden = record_linear_active_columns(tape, parameter_data, hidden, gate, parameter_offset_table[f'layer{layer_index}.mlp_fc2'])
        hidden = record_residual_add(tape, hidden, residual, embedding_dimension)

    logits = record_linear(tape, parameter_data, hidden, parameter_offset_table['lm_head'])
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
        total = 0
        for weight, element in zip(weight_row, input_vector):
            total = total + weight * element
        output.append(total)
    return output

def linear_float_active_columns(input_vector: list[float], gate_vector: list[float], parameter_data: list[float], matrix_offset: tuple[int, int, int]) -> list[float]:
    # linear_float over the active columns only (positive in gate_vector, the ReLU's
    # input), in increasing order, from the integer 0: the other columns' inputs are 0.
    start, number_of_rows, number_of_columns = matrix_offset
    columns: list[int] = []
    for column_index in range(number_of_columns):
        if gate_vector[column_index] > 0:
            columns.append(column_index)
    output: list[float] = []
    for row_index in range(number_of_rows):
        row_start = start + row_index * number_of_columns
        weight_row = parameter_data[row_start:row_start + number_of_columns]
        total = 0
        for column_index in columns:
            total = total + weight_row[column_index] * input_vector[column_index]
        output.append(total)
    return output

def softmax_float(logits: list[float]) -> list[float]:
    maximum_logit = max(logits)
    exponentials: list[float] = []
    for logit in logits:
        exponentials.append(math.exp(logit - maximum_logit))
    total = 0
    for exponential in exponentials:
        total = total + exponential
    # e / total was e * total**-1: one reciprocal (the tape recomputed the same float for
    # every element), then one product per element.
    reciprocal = total ** -1
    return [exponential * reciprocal for exponential in exponentials]

def rmsnorm_float(input_vector: list[float]) -> list[float]:
    sum_of_squares = 0
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
                dot_product = 0
                for dimension in range(head_dimension):
                    dot_product = dot_product + query_head[dimension] * key_heads[past_position][dimension]
                attention_logits.append(dot_product * (head_dimension ** 0.5) ** -1) # / head_dimension**0.5 was * (head_dimension**0.5)**-1
            attention_weights = softmax_float(attention_logits)
            for dimension in range(head_dimension):
                weighted_sum = 0
                for past_position in range(len(value_heads)):
                    weighted_sum = weighted_sum + attention_weights[past_position] * value_heads[past_position][dimension]
                attention_output.append(weighted_sum)
        hidden = linear_float(attention_output, parameter_data, parameter_offset_table[f'layer{layer_index}.attn_wo'])
        hidden = [hidden_value + residual_value for hidden_value, residual_value in zip(hidden, residual)]
        # 2) MLP block
        residual = hidden
        hidden = rmsnorm_float(hidden)
        gate = linear_float(hidden, parameter_data, parameter_offset_table[f'layer{layer_index}.mlp_fc1'])
        activated: list[float] = []
        for element in gate:
            rectified = max(0, element)
            activated.append(rectified ** 2)
        hidden = linear_float_active_columns(activated, gate, parameter_data, parameter_offset_table[f'layer{layer_index}.mlp_fc2'])
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

def adam_update(
    parameter_data: list[float],
    parameter_gradients: list[float],
    first_moment: list[float],
    second_moment: list[float],
    adjusted_learning_rate: float,
    beta1: float,
    beta2: float,
    adam_epsilon: float,
    step: int,
) -> None:
    # The same update as before, parameter by parameter, with two changes that leave
    # every float as it was. The loop now runs inside a function, where every name is a
    # local variable (module-level code looks each name up in a dictionary on every
    # use). And the four factors that are the same for every parameter of a step are
    # computed once per step instead of once per parameter: 1 - beta1 and 1 - beta2,
    # and the two bias corrections 1 - beta ** (step + 1). Each is the same expression
    # on the same operands, so it is the same float the loop used to recompute.
    first_moment_weight = 1 - beta1
    second_moment_weight = 1 - beta2
    first_moment_correction = 1 - beta1 ** (step + 1)
    second_moment_correction = 1 - beta2 ** (step + 1)
    for parameter_index in range(len(parameter_data)):
        gradient = parameter_gradients[parameter_index]
        first = beta1 * first_moment[parameter_index] + first_moment_weight * gradient
        second = beta2 * second_moment[parameter_index] + second_moment_weight * gradient ** 2
        first_moment[parameter_index] = first
        second_moment[parameter_index] = second
        corrected_first_moment = first / first_moment_correction
        corrected_second_moment = second / second_moment_correction
        parameter_data[parameter_index] -= adjusted_learning_rate * corrected_first_moment / (corrected_second_moment ** 0.5 + adam_epsilon)

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

    # A fresh tape for this step. The losses of the positions sit side by side in one
    # reserved vector, so that their mean is one more vector operation.
    tape: Tape = tape_create()
    losses = tape_reserve(tape, sequence_length)

    # Forward the token sequence through the model, recording every vector operation on the tape all the way to the loss.
    key_cache: list[list[Offset]] = [[] for _ in range(number_of_layers)]
    value_cache: list[list[Offset]] = [[] for _ in range(number_of_layers)]
    for position_id in range(sequence_length):
        token_id, target_id = tokens[position_id], tokens[position_id + 1]
        logits = forward_training(tape, parameter_data, token_id, position_id, key_cache, value_cache, parameter_offset_table)
        record_cross_entropy(tape, logits, vocabulary_size, target_id, losses + position_id)
    loss = record_mean(tape, losses, sequence_length) # final average loss over the document sequence. May yours be low.

    # Backward: one reverse scan of the operation records. It returns the parameters'
    # gradients, aligned with parameter_data by index.
    parameter_gradients: list[float] = tape_backward(tape, loss, parameter_data, key_cache, value_cache)

    # Adam optimizer update: one scan over four aligned flat arrays, in a function.
    adjusted_learning_rate = learning_rate * 0.5 * (1 + math.cos(math.pi * step / number_of_steps)) # cosine learning rate decay
    adam_update(parameter_data, parameter_gradients, first_moment, second_moment, adjusted_learning_rate, beta1, beta2, adam_epsilon, step)

    print(f"step {step+1:4d} / {number_of_steps:4d} | loss {tape_value(tape, loss):.4f}")

# Inference: may the model babble back to us
temperature: float = 0.5 # in (0, 1], control the "creativity" of generated text, low to high
print("\n--- inference ---")
# Every sample starts from the same token at the same position with an empty cache, so
# its first forward pass is the same computation on the same floats, twenty times over.
# Run it once, before the sample loop: each sample starts from a copy of the cache it
# leaves (the sample appends its own positions after it) and draws its first token from
# the same probabilities, one random.choices call per sample as before.
first_key_cache: list[list[list[float]]] = [[] for _ in range(number_of_layers)]
first_value_cache: list[list[list[float]]] = [[] for _ in range(number_of_layers)]
first_logits = forward_inference(beginning_of_sequence, 0, first_key_cache, first_value_cache, parameter_data, parameter_offset_table)
first_scaled_logits: list[float] = [logit * temperature ** -1 for logit in first_logits] # logit / temperature was logit * temperature**-1
first_probabilities = softmax_float(first_scaled_logits)
for sample_index in range(20):
    # The inference KV cache holds floats, per layer, per position: no tape at all.
    # Copying a layer's list of cached vectors is enough: cached vectors are never changed, only appended.
    key_cache: list[list[list[float]]] = [list(layer_keys) for layer_keys in first_key_cache]
    value_cache: list[list[list[float]]] = [list(layer_values) for layer_values in first_value_cache]
    token_id = beginning_of_sequence
    sample: list[str] = []
    for position_id in range(maximum_sequence_length):
        if position_id == 0:
            probabilities = first_probabilities
        else:
            logits = forward_inference(token_id, position_id, key_cache, value_cache, parameter_data, parameter_offset_table)
            scaled_logits: list[float] = [logit * temperature ** -1 for logit in logits] # logit / temperature was logit * temperature**-1
            probabilities = softmax_float(scaled_logits)
        token_id = random.choices(range(vocabulary_size), weights=probabilities)[0]
        if token_id == beginning_of_sequence:
            break
        sample.append(unique_characters[token_id])
    print(f"sample {sample_index+1:2d}: {''.join(sample)}")
