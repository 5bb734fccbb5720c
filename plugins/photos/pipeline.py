"""The photo stage of a build: make what the cache lacks (all cores), then fill output/."""

import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor

from .cache import place
from .process import render

logger = logging.getLogger(__name__)

# A photo decoded at full size (PNG, WebP, HEIC, GIF: a JPEG is decoded at reduced scale)
# takes 4 bytes a pixel in its worker while it is made, 480 MB at the 120-megapixel limit.
# Photos over this size are made one at a time, so that N workers never hold N of them.
BIG_PIXELS = 30_000_000
REDUCED_DECODE = {"JPEG", "MPO"}


def is_big(probed):
    """Whether a source probed as (format, width, height) is decoded whole and big."""
    return bool(probed) and probed[0] not in REDUCED_DECODE and probed[1] * probed[2] > BIG_PIXELS


def missing_jobs(cache, photos, opts):
    """photos: {sha: (abs path, [Variant...])} -> render jobs for variants not cached."""
    jobs = []
    for sha, (path, variants) in photos.items():
        cached = cache.listing(sha)
        todo = [
            {
                "width": v.width,
                "height": v.height,
                "fmt": v.fmt,
                "quality": v.quality,
                "crop": v.crop,
                "dest": cache.path_of(sha, v),
            }
            for v in variants
            if os.path.basename(cache.path_of(sha, v)) not in cached
        ]
        if todo:
            jobs.append(
                {
                    "sha": sha,
                    "path": path,
                    "max_pixels": opts["max_pixels"],
                    "background": opts["background"],
                    "variants": todo,
                    "big": is_big(cache.probed(path)),
                }
            )
    return jobs


def run_jobs(jobs, workers):
    """Render jobs, in worker processes when there is more than one; yields results.
    Big photos (BIG_PIXELS) first, in one worker of their own, one after the other."""
    workers = workers or os.cpu_count() or 1
    if len(jobs) <= 1 or workers == 1:
        for job in jobs:
            yield job, render(job)
        return
    big = [j for j in jobs if j.get("big")]
    # Most variants first so one long photo does not finish last on its own.
    rest = sorted((j for j in jobs if not j.get("big")), key=lambda j: -len(j["variants"]))
    for batch, size in ((big, 1), (rest, min(workers, len(rest)))):
        if batch:
            with ProcessPoolExecutor(max_workers=size) as pool:
                yield from zip(batch, pool.map(render, batch, chunksize=1), strict=True)


def fill_output(cache, photos, output_path, hardlink=True, skip=()):
    """Link every needed variant into output/. Returns the number of files written.

    An unchanged rebuild does this for every file of every photo, so each costs one system
    call: a link into a folder that did not exist (after `make clean`), or a stat that finds
    the cached file (same inode) already in place."""
    written = 0
    folders = {}  # folder -> it existed before this run
    for sha, (_path, variants) in photos.items():
        if sha in skip:
            continue
        listed = cache.listing(sha)
        for v in variants:
            cached = cache.path_of(sha, v)
            dest = os.path.join(output_path, v.output)
            folder = os.path.dirname(dest)
            existed = folders.get(folder)
            if existed is None:
                existed = folders[folder] = os.path.isdir(folder)
                if not existed:
                    os.makedirs(folder, exist_ok=True)
            if existed and hardlink:
                inode = listed.get(os.path.basename(cached))
                try:
                    if inode is not None and os.stat(dest).st_ino == inode:
                        continue
                except FileNotFoundError:
                    pass
            if place(cached, dest, hardlink, made_dirs=folders):
                written += 1
    return written


def run_stage(cache, photos, output_path, opts):
    """Process what is missing, place everything; returns (stats, {sha: error})."""
    start = time.perf_counter()
    jobs = missing_jobs(cache, photos, opts)
    errors = {}
    for job, result in run_jobs(jobs, opts["workers"]):
        if result["error"]:
            errors[job["sha"]] = result["error"]
    made = sum(len(j["variants"]) for j in jobs if j["sha"] not in errors)
    placed = fill_output(cache, photos, output_path, opts["hardlink"], skip=errors)
    stats = {
        "photos": len(photos),
        "processed": len(jobs) - len(errors),
        "variants_made": made,
        "files_placed": placed,
        "seconds": time.perf_counter() - start,
    }
    return stats, errors
