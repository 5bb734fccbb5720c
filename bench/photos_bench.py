"""The photo pipeline against plain Pillow and pelican-image-process, in one run.

    python bench/photos_bench.py [--photos 50] [--rebuild-photos 1000]   (make bench-photos)

1. Makes --photos camera-sized JPEGs (4000x3000, noisy like a sensor, EXIF with GPS, 3-6 MB)
   in bench/out/camera/ (kept between runs).
2. Makes the same variants three ways, each into a fresh folder, and reports photos per
   second and the ratios. Same run, interleaved: the photos go in --rounds batches and every
   method does each batch in turn, so machine noise falls on all of them alike:
     - ours: the photos plugin's stage (probe + hash, worker processes on every core, draft()
       decoding), cold cache; also with one worker, to show the per-core gain;
     - plain Pillow: for each variant Image.open + thumbnail + save, one process;
     - pelican-image-process 3.4.0: its process_image() with a "scale_in W W False"
       derivative per variant, as its Pelican hook does, one process.
   Variants: widths 480/800/1200/1600 in WebP (q78) and JPEG (q80): 8 files per photo.
3. The photo stage of an unchanged rebuild with --rebuild-photos photos in the cache:
   sources 1600x1200, each with 8 srcset variants, every tenth also featured (thumbnails +
   OG image); cache seeded as bench_rebuild() says; then the stage is timed as a build runs it
   (load the index, stat every source, plan, check the cache, write the <picture> HTML,
   link into output/, prune, save) - after `make clean` (empty output/) and with output/
   still there.
Times are wall clock (time.perf_counter); CPU time (this process and its workers) from
resource.getrusage. On a machine shared with other work the CPU ratio is the steadier one.
"""

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "plugins"))

from PIL import Image  # noqa: E402

from photos import pipeline  # noqa: E402
from photos.cache import Cache  # noqa: E402
from photos.plan import featured_variants, figure_variants, picture_html  # noqa: E402
from photos.settings import parse_settings  # noqa: E402

OUT = HERE / "out"
WIDTHS = [480, 800, 1200, 1600]
QUALITY = {"webp": 78, "jpeg": 80}


def camera_photos(count, folder):
    """count 4000x3000 JPEGs with sensor-like noise and a phone's EXIF (made once)."""
    folder.mkdir(parents=True, exist_ok=True)
    have = sorted(folder.glob("*.jpg"))
    if len(have) >= count:
        return have[:count]
    print(f"Tạo {count} ảnh 4000x3000 / making {count} camera-sized JPEGs ...", flush=True)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "PhoneMaker", "Model X"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (21.0, 3.0, 30.5), "E", (105.0, 53.0, 12.25)
    base = Image.linear_gradient("L").resize((4000, 3000))
    for i in range(len(have), count):
        noise = Image.effect_noise((4000, 3000), 24 + i % 10)
        r = Image.blend(base, noise, 0.35)
        g = Image.blend(base.rotate(90 + i, expand=False), noise, 0.3)
        b = Image.blend(base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise, 0.4)
        Image.merge("RGB", (r, g, b)).save(folder / f"anh-{i:03d}.jpg", quality=92, exif=exif)
    return sorted(folder.glob("*.jpg"))[:count]


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn):
    cpu, start = cpu_seconds(), time.perf_counter()
    fn()
    return time.perf_counter() - start, cpu_seconds() - cpu


def run_ours(photos, folder, workers):
    shutil.rmtree(folder, ignore_errors=True)
    opts = parse_settings({"PHOTOS": {"widths": WIDTHS, "quality": QUALITY, "workers": workers}})
    cache = Cache(folder / "cache", opts["max_pixels"])
    jobs = {}
    for path in photos:
        source = cache.source(str(path), f"images/{path.name}")
        jobs[source.sha256] = (str(path), figure_variants(source, opts))
    stats, errors = pipeline.run_stage(cache, jobs, str(folder / "output"), opts)
    assert not errors and stats["variants_made"] == 8 * len(photos), stats


def run_plain(photos, folder):
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in photos:
        for fmt, ext in (("WEBP", "webp"), ("JPEG", "jpg")):
            for w in WIDTHS:
                with Image.open(path) as im:
                    im.thumbnail((w, w))
                    im.save(folder / f"{path.stem}-{w}.{ext}", fmt, quality=QUALITY[fmt.lower()])


def run_image_process(photos, folder):
    from pelican.plugins.image_process import image_process as ip

    shutil.rmtree(folder, ignore_errors=True)
    settings = {}
    ip.set_default_settings(settings)
    for path in photos:
        for ext in ("webp", "jpg"):
            for w in WIDTHS:
                dest = folder / f"{w}w" / f"{path.stem}.{ext}"
                ip.process_image((str(path), str(dest), [f"scale_in {w} {w} False"]), settings)


def rebuild_stage(sources, folder, output, opts):
    """The plugin's work for an unchanged build, in the order the plugin does it."""
    cache = Cache(folder / "cache", opts["max_pixels"])
    photos, html, keep = {}, 0, set()
    for i, path in enumerate(sources):
        source = cache.source(str(path), f"images/{path.name}")
        variants = figure_variants(source, opts)
        html += len(picture_html(variants, opts, "", {"alt": path.stem}, eager=False))
        if i % 10 == 0:
            variants += featured_variants(source, opts)
        keep.update((source.sha256, v.key) for v in variants)
        photos[source.sha256] = (str(path), variants)
    stats, errors = pipeline.run_stage(cache, photos, str(output), opts)
    cache.prune(keep)
    cache.save_index()
    assert not errors and stats["variants_made"] == 0, stats
    return stats, cache.probes


def bench_rebuild(count):
    """Seed `count` distinct sources and their cache entries, then time unchanged rebuilds.

    One 1600x1200 photo is processed for real; the other sources are the same picture with
    different trailing bytes (so each has its own content hash) and their cache entries are
    hard links to the real variants: the unchanged stage never reads a cached file's
    content, only its name, so this is the same work for it as `count` real photos."""
    folder = OUT / "rebuild"
    shutil.rmtree(folder, ignore_errors=True)
    sources_dir = folder / "content" / "images"
    sources_dir.mkdir(parents=True)
    opts = parse_settings({"PHOTOS": {"widths": WIDTHS, "quality": QUALITY, "workers": 1}})
    reference = sources_dir / "anh-0000.jpg"
    Image.linear_gradient("L").resize((1600, 1200)).convert("RGB").save(reference, quality=85)
    data = reference.read_bytes()
    for i in range(1, count):
        (sources_dir / f"anh-{i:04d}.jpg").write_bytes(data + b"%d" % i)
    sources = sorted(sources_dir.glob("*.jpg"))
    cache = Cache(folder / "cache", opts["max_pixels"])
    ref = cache.source(str(reference), "images/anh-0000.jpg")
    ref_variants = figure_variants(ref, opts) + featured_variants(ref, opts)
    pipeline.run_stage(cache, {ref.sha256: (str(reference), ref_variants)}, str(folder / "o"), opts)
    real = {(v.kind, v.width, v.fmt): cache.path_of(ref.sha256, v) for v in ref_variants}
    entries = 0
    for i, path in enumerate(sources):
        source = cache.source(str(path), f"images/{path.name}")
        variants = figure_variants(source, opts)
        if i % 10 == 0:
            variants += featured_variants(source, opts)
        for v in variants:
            dest = cache.path_of(source.sha256, v)
            entries += 1
            if not os.path.exists(dest):
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                os.link(real[(v.kind, v.width, v.fmt)], dest)
    cache.save_index()
    output = folder / "output"
    shutil.rmtree(output, ignore_errors=True)  # make clean
    after_clean, _ = timed(lambda: rebuild_stage(sources, folder, output, opts))
    warm, _ = timed(lambda: rebuild_stage(sources, folder, output, opts))
    placed = sum(1 for _ in output.rglob("*.*"))
    return {"photos": count, "cache_files": entries, "output_files": placed,
            "after_clean_s": after_clean, "output_present_s": warm}  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--rebuild-photos", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--skip-image-process", action="store_true")
    parser.add_argument("--only-rebuild", action="store_true", help="only part 3")
    args = parser.parse_args()
    if args.only_rebuild:
        rebuild = bench_rebuild(args.rebuild_photos)
        print(json.dumps(rebuild, indent=1))
        return

    photos = camera_photos(args.photos, OUT / "camera")
    mb = sum(p.stat().st_size for p in photos) / len(photos) / 1e6
    print(f"{len(photos)} ảnh JPEG 4000x3000, trung bình {mb:.1f} MB; {os.cpu_count()} lõi CPU")
    print("Biến thể / variants: 480/800/1200/1600 px x WebP+JPEG = 8 tệp mỗi ảnh\n")
    runs = {
        "ours": lambda batch, i: run_ours(batch, OUT / f"ours-{i}", 0),
        "ours_1_worker": lambda batch, i: run_ours(batch, OUT / f"ours1-{i}", 1),
        "plain_pillow": lambda batch, i: run_plain(batch, OUT / f"plain-{i}"),
    }
    if not args.skip_image_process:
        runs["image_process"] = lambda batch, i: run_image_process(batch, OUT / f"imgproc-{i}")
    # Interleaved: the photos in --rounds batches, every method on each batch in turn, so
    # a busy spell of the machine falls on all methods alike.
    totals = {name: [0.0, 0.0] for name in runs}
    size = -(-len(photos) // args.rounds)
    for i in range(args.rounds):
        batch = photos[i * size : (i + 1) * size]
        for name, fn in runs.items():
            wall, cpu = timed(lambda fn=fn, batch=batch, i=i: fn(batch, i))
            totals[name][0] += wall
            totals[name][1] += cpu
    results = {}
    for name, (wall, cpu) in totals.items():
        results[name] = {"seconds": wall, "cpu_seconds": cpu, "photos_per_s": len(photos) / wall}
        print(f"  {name:15s} {wall:8.1f} s  {len(photos) / wall:6.2f} ảnh/s  (CPU {cpu:.1f} s)")
    ours = results["ours"]["photos_per_s"]
    print("\nTỉ lệ ảnh/giây (thời gian thực) và theo thời gian CPU / ratios, wall and CPU:")
    for name in ("plain_pillow", "image_process"):
        if name in results:
            ratio = ours / results[name]["photos_per_s"]
            cpu_ratio = results[name]["cpu_seconds"] / results["ours"]["cpu_seconds"]
            results[f"ratio_vs_{name}"] = ratio
            results[f"cpu_ratio_vs_{name}"] = cpu_ratio
            print(f"  ours / {name}: {ratio:.2f}x wall, {cpu_ratio:.2f}x less CPU")
    per_core = results["ours_1_worker"]["photos_per_s"] / results["plain_pillow"]["photos_per_s"]
    results["ratio_1_worker_vs_plain_pillow"] = per_core
    print(f"  ours (1 worker) / plain_pillow: {per_core:.2f}x")

    print(f"\nDựng lại không đổi ảnh / unchanged rebuild, {args.rebuild_photos} ảnh:")
    rebuild = bench_rebuild(args.rebuild_photos)
    results["unchanged_rebuild"] = rebuild
    print(f"  {rebuild['cache_files']} tệp trong bộ nhớ đệm / cache files")
    print(f"  sau make clean (output/ trống): {rebuild['after_clean_s']:.3f} s")
    print(f"  output/ còn nguyên:              {rebuild['output_present_s']:.3f} s")
    (OUT / "photos-bench.json").write_text(json.dumps(results, indent=2), "utf-8")


if __name__ == "__main__":
    main()
