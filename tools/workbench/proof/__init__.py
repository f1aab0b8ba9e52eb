"""What makes a proof hard to fool: held settings, another names file, exercises of new code.

A plain run proves one configuration. The modules here add what a learner's attempt must
also survive before it counts as proved: a fixed matrix of other settings (held_settings),
a names file from another alphabet made from the standard one (variant_names), checks that
run the functions a step adds on generated inputs (exercises, through definitions), and the
words that name a parameter by its place in the model (parameter_places).
"""
