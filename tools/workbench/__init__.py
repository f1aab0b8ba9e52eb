"""The microgpt data-oriented design workbench: the library behind the tools in tools/.

Each module has one job; the command-line scripts in tools/ are thin wrappers over them.
"""
