"""The names of a project's folders and files, and of briefgen's own marks beside them.

A leaf module: the build stamp (stamp.py) is checked before anything heavier is imported.
"""

CONTENT_DIR = "content"  # a project's briefs: content/<slug>/{notes.yaml,article.md}
ARTICLE_FILE = "article.md"
NOTES_FILE = "notes.yaml"
CACHE_DIR = ".briefgen-cache"  # the build cache (cache.py), in the project folder
MARKER = ".briefgen-output"  # in every output tree briefgen made (write.py): only such a folder is replaced
