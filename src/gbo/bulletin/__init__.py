"""The bulletin: main points, commentary and a short statistical bulletin.

Everything here is built from the *published* form of the tables (after disclosure
control): a sentence quotes only figures that a reader can already find in the table it
names, so the bulletin can never reveal a withheld figure.
"""
