"""Deploying the published site to the ward's web server (`make deploy`, `make rollback`...).

Each upload is a new `releases/<timestamp>/` folder on the server, filled by rsync over ssh
with unchanged files hard-linked from the previous release; the web server's root is the
`current` symlink, switched in one rename. The pure parts (settings, path guards, the check
of the output, release bookkeeping) know nothing of ssh, so they are tested one case each;
`remote.py` runs ssh and rsync; `__main__.py` is the command line that make calls.
"""
