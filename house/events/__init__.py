"""What a change emits, at the bottom of the layers so every concept can use it: the alert
spec a rule returns, the outbox row of an immediate alert rule, and in-process listeners
(one concept reacting to another's change in the same transaction, wired in house.registry).
"""
