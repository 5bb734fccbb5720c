# Every task of the ward site. `make help` lists them.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
INPUTDIR := content
OUTPUTDIR ?= output
PORT ?= 8000
STAMP := $(VENV)/.installed
# Where `make check` builds the site to check it (never output/, which make publish writes).
CHECKDIR ?= var/check
# axe-core (accessibility rules) for the browser tests, pinned, installed from npm into a
# git-ignored folder; Lighthouse for `make audit`, likewise.
AXE_VERSION := 4.14.1
AXE := tests/.node/node_modules/axe-core/axe.min.js
LIGHTHOUSE_VERSION := 13.5.0
LIGHTHOUSE := var/lighthouse/node_modules/.bin/lighthouse
# The search index (Pagefind, with đ folded to d), made anew each time and swapped in whole.
PAGEFIND := $(BIN)/python tools/search_index.py --site $(OUTPUTDIR)
# View counts (plugins/view_counts): the store, and the command behind make stats.
STORE ?= var/views.sqlite3
LOGS ?=
VIEW_COUNTS := PYTHONPATH=plugins $(BIN)/python -m view_counts.cli

.DEFAULT_GOAL := help
.PHONY: help install html clean serve devserver publish test lint format bench bench-preview bench-photos bench-search system-deps \
	stats stats-pull stats-upload bench-stats deploy deploy-init rollback releases \
	officials-suggest eval-officials search-index audit new check fix

help: ## Liệt kê các lệnh / List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(STAMP) ## Tạo môi trường .venv từ các tệp phụ thuộc đã ghim / Create .venv from the pinned requirements

$(STAMP): requirements.txt requirements-dev.txt
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Cần Python 3.11 trở lên / Python 3.11+ is required"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

new: $(STAMP) ## Tạo bài mới: make new TITLE="…" [CATEGORY="…"] [TYPE=tin|thong-bao|phat-bieu] / Start an article
	@$(BIN)/python tools/new_article.py --content $(INPUTDIR)

check: $(STAMP) ## Kiểm tra mọi bài như khi đăng, báo lỗi kèm tệp:dòng / Check every article as make publish would
	$(PELICAN) $(INPUTDIR) -o $(CHECKDIR) -s publishconf.py --log-handler plain
	@echo "Kiểm tra xong: không có lỗi hay cảnh báo nào ngăn việc đăng bài."

fix: $(STAMP) ## Chuyển chữ gõ bằng bảng mã cũ (TCVN3, VNI…) sang Unicode: make fix [FILE=…] / Convert legacy-encoded text
	@$(BIN)/python tools/fix_text.py $(if $(FILE),$(FILE),--content $(INPUTDIR))

html: $(STAMP) ## Dựng trang vào output/ để xem thử / Build the site into output/
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s pelicanconf.py --log-handler plain
	$(PAGEFIND)

search-index: $(STAMP) ## Lập chỉ mục tìm kiếm (Pagefind) cho output/ / Build the search index of output/
	$(PAGEFIND)

clean: ## Xóa output/ / Remove the generated site
	rm -rf $(OUTPUTDIR)

# The preview builds into its own folder (never output/, which make publish writes).
PREVIEW := $(BIN)/python -m preview --content $(INPUTDIR) --port $(PORT)

serve: $(STAMP) ## Dựng trang và mở tại http://localhost:8000 (tự dựng lại khi lưu) / Build and serve the site
	$(PREVIEW)

devserver: $(STAMP) ## Xem thử, tự dựng lại phần thay đổi khi lưu / Serve and rebuild what changed on every save
	$(PREVIEW)

publish: $(STAMP) ## Dựng bản chính thức; dừng khi có lỗi hay cảnh báo / Production build, fails on any warning
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s publishconf.py --log-handler plain
	$(PAGEFIND)

DEPLOY_ENV ?= deploy/deploy.env
DEPLOY := $(BIN)/python -m deploy --env-file $(DEPLOY_ENV) --output $(OUTPUTDIR)

deploy: $(STAMP) ## Đưa output/ lên máy chủ thành bản mới (DRY_RUN=1: chỉ xem trước) / Upload output/ as a new release
	$(DEPLOY) deploy $(if $(filter 1 yes true,$(DRY_RUN)),--dry-run)

deploy-init: $(STAMP) ## Khởi tạo thư mục trang trên máy chủ (một lần) / Prepare the target folder once
	$(DEPLOY) init

rollback: $(STAMP) ## Quay về bản trước (TO=<tên bản> để chọn) / Point current at the previous release
	$(DEPLOY) rollback $(if $(TO),--to $(TO))

releases: $(STAMP) ## Liệt kê các bản trên máy chủ / List the releases on the server
	$(DEPLOY) releases

# Two workers (pytest-xdist), each test module on one of them (its built site shared by its
# tests): about 7 minutes on 2 cores instead of 9 and a half.
test: $(STAMP) system-deps $(AXE) ## Chạy toàn bộ kiểm thử / Run all the tests
	$(BIN)/pytest -n 2 --dist loadfile

$(AXE): | system-deps
	npm install --prefix tests/.node --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	test -f $(AXE)

$(LIGHTHOUSE): | system-deps
	npm install --prefix var/lighthouse --no-audit --no-fund --silent lighthouse@$(LIGHTHOUSE_VERSION)

AUDIT_PORT ?= 18765
audit: $(STAMP) $(LIGHTHOUSE) ## Chấm điểm Lighthouse trang chủ và một bài (điện thoại) / Lighthouse scores, mobile
	SITEURL=http://127.0.0.1:$(AUDIT_PORT) $(MAKE) --no-print-directory publish OUTPUTDIR=var/audit/site
	$(BIN)/python tools/audit.py --lighthouse $(LIGHTHOUSE) --site var/audit/site --port $(AUDIT_PORT)

lint: $(STAMP) ## Kiểm tra mã bằng ruff / Lint and format check with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Định dạng lại mã bằng ruff / Reformat the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

N ?= 2000
ROUNDS ?= 3
bench: $(STAMP) ## Đo thời gian dựng N bài (mặc định 2.000) so với Pelican gốc / Time a full build of N articles against plain Pelican
	$(BIN)/python bench/build_bench.py $(N) $(ROUNDS)

bench-preview: $(STAMP) ## Đo thời gian từ lúc lưu bài đến lúc bản xem thử hiện thay đổi / Edit-to-preview benchmark
	$(BIN)/python bench/preview_bench.py $(N)

bench-search: $(STAMP) ## Đo chỉ mục tìm kiếm và thời gian đến kết quả trên điện thoại (N bài) / Search index size and time to results
	$(BIN)/python bench/search_bench.py $(N)

bench-photos: $(STAMP) ## Đo tốc độ xử lý ảnh so với Pillow và image-process / Photo pipeline benchmark
	$(BIN)/python bench/photos_bench.py

stats: $(STAMP) ## Nhập nhật ký truy cập vào kho lượt xem: make stats LOGS="var/logs/access.log*" [DRY_RUN=1] / Import access logs
	@test -n "$(LOGS)" || { echo 'Cần chỉ tệp nhật ký, ví dụ: make stats LOGS="var/logs/access.log*"'; exit 2; }
	@mkdir -p var
	$(VIEW_COUNTS) import --site $(OUTPUTDIR) --store $(STORE) $(if $(DRY_RUN),--dry-run) $(if $(WAIT),--wait) $(LOGS)

stats-pull: $(STAMP) ## Tải nhật ký truy cập từ máy chủ về var/logs/ (deploy/deploy.env) / Fetch the logs over ssh
	$(VIEW_COUNTS) pull --dest var/logs

stats-upload: $(STAMP) ## Ghi lại views.json từ kho và tải lên máy chủ / Refresh views.json and upload it
	$(VIEW_COUNTS) upload --site $(OUTPUTDIR) --store $(STORE)

bench-stats: $(STAMP) ## Đo tốc độ nhập 1.000.000 dòng nhật ký (so với GoAccess) và 600.000 lượt dồn trong 1 phút / Time the log import, and a flood
	$(BIN)/python bench/view_counts_bench.py

system-deps:
	@tools/system-deps.sh

officials-suggest: $(STAMP) ## Liệt kê cán bộ được nhắc đến mà chưa có trong danh sách / Officials mentioned but not registered
	PYTHONPATH=plugins $(BIN)/python -m officials.suggest $(INPUTDIR)

eval-officials: $(STAMP) ## Đo độ chính xác gắn tên cán bộ trên bộ bài mẫu / Precision and recall of officials tagging
	$(BIN)/python tests/officials_eval/evaluate_officials.py $(EVAL)
