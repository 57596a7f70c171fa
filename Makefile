# dq — build, run, test, bench.
#
#   make run        install missing packages, build, start dq-server on 127.0.0.1:6379
#   make test       install, build, run unit + integration + differential tests
#   make bench      dq vs redis-server side by side (not part of make test)
#   make lint       clang-format check + layer rules
#   make fuzz       libFuzzer on the request parser for FUZZ_TIME seconds (installs clang)
#   make SANITIZER=address test   the same under ASan/UBSan
#
# Each layer is its own static library: protocol/ and storage/ know nothing of each other,
# of server/ or of libuv; their unit tests link only their own layer, so a wrong include or
# call fails to build.

CXX      ?= g++
SANITIZER ?=
BUILD    ?= build$(if $(SANITIZER),-$(SANITIZER),)
OPT      ?= -O2
WARN     := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifdef CI
WARN     += -Werror
endif
ifeq ($(WERROR),1)
WARN     += -Werror
endif
SANFLAGS := $(if $(SANITIZER),-fsanitize=$(SANITIZER) -fsanitize=undefined -fno-omit-frame-pointer,)
CXXFLAGS ?=
CXXFLAGS += -std=c++20 $(OPT) -g $(WARN) -I. -MMD -MP $(SANFLAGS)
LDFLAGS  += $(SANFLAGS)

PACKAGES := g++ make pkg-config libuv1-dev libxxhash-dev libfmt-dev doctest-dev libhiredis-dev \
            redis-tools redis-server python3-redis python3-pytest liblua5.1-0-dev netcat-openbsd \
            clang-format lua-bitop-dev lua-cjson-dev python3-celery python3-rq

PROTO_SRC   := $(wildcard protocol/*.cpp)
STORAGE_SRC := $(wildcard storage/*.cpp)
SERVER_SRC  := $(filter-out server/main.cpp,$(wildcard server/*.cpp server/commands/*.cpp))

PROTO_OBJ   := $(PROTO_SRC:%.cpp=$(BUILD)/%.o)
STORAGE_OBJ := $(STORAGE_SRC:%.cpp=$(BUILD)/%.o)
SERVER_OBJ  := $(SERVER_SRC:%.cpp=$(BUILD)/%.o)

LIB_PROTO   := $(BUILD)/libdq_protocol.a
LIB_STORAGE := $(BUILD)/libdq_storage.a
LIB_SERVER  := $(BUILD)/libdq_server.a
SERVER_BIN  := $(BUILD)/dq-server

UNIT_PROTO_SRC   := $(wildcard tests/unit/protocol_*.cpp)
UNIT_STORAGE_SRC := $(wildcard tests/unit/storage_*.cpp)
UNIT_SERVER_SRC  := $(wildcard tests/unit/server_*.cpp)
UNIT_BINS := $(BUILD)/tests/unit_protocol $(BUILD)/tests/unit_storage \
             $(if $(UNIT_SERVER_SRC),$(BUILD)/tests/unit_server,)

LIBS_STORAGE := -lxxhash -lfmt
LIBS_SERVER  := -luv -lxxhash -lfmt -llua5.1 -llua5.1-cjson -llua5.1-bitop

.PHONY: all deps clients build run test unit integration bench lint fuzz clean

all: build

# Installs whatever Debian package is missing (root on a fresh Debian 12 machine).
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi; \
	if [ -x /usr/bin/redis-server ] && pgrep -x redis-server >/dev/null && [ -n "$$CI" ]; then :; fi

build: $(SERVER_BIN) $(UNIT_BINS) $(BUILD)/stampede

# BullMQ for tests/integration/test_bullmq.py, installed from the committed package-lock.json
# (npm ci, from the npm registry) when node_modules is missing or older than the lock file.
# node and npm come with the machine (not Debian's packages). A failed install does not stop
# `make test`: test_bullmq.py then fails and says why; without node it is skipped.
BULLMQ_DIR   := tests/clients/bullmq
BULLMQ_STAMP := $(BULLMQ_DIR)/node_modules/.dq-installed
clients: $(BULLMQ_STAMP)
$(BULLMQ_STAMP): $(BULLMQ_DIR)/package.json $(BULLMQ_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  echo "npm ci --prefix $(BULLMQ_DIR)"; \
	  npm ci --prefix $(BULLMQ_DIR) --no-audit --no-fund --loglevel=error && touch $@ \
	    || echo "WARNING: npm ci in $(BULLMQ_DIR) failed: test_bullmq.py will fail"; \
	else echo "npm not found: test_bullmq.py will be skipped (or fail if node is present)"; fi

$(BUILD)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

# Geo replies print coordinates and distances to the last digit, as Redis computes them: no
# fused multiply-add may round differently (see storage/geohash.h).
$(BUILD)/storage/geohash.o: CXXFLAGS += -ffp-contract=off

$(LIB_PROTO): $(PROTO_OBJ)
	@mkdir -p $(dir $@)
	ar rcs $@ $^
$(LIB_STORAGE): $(STORAGE_OBJ)
	@mkdir -p $(dir $@)
	ar rcs $@ $^
$(LIB_SERVER): $(SERVER_OBJ)
	@mkdir -p $(dir $@)
	ar rcs $@ $^

$(SERVER_BIN): $(BUILD)/server/main.o $(LIB_SERVER) $(LIB_STORAGE) $(LIB_PROTO)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS_SERVER)
	@ln -sf $(BUILD)/dq-server dq-server 2>/dev/null || true

# Unit tests link only their own layer.
$(BUILD)/tests/unit_protocol: $(UNIT_PROTO_SRC:%.cpp=$(BUILD)/%.o) $(LIB_PROTO)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ -lfmt
$(BUILD)/tests/unit_storage: $(UNIT_STORAGE_SRC:%.cpp=$(BUILD)/%.o) $(LIB_STORAGE)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS_STORAGE)
$(BUILD)/tests/unit_server: $(UNIT_SERVER_SRC:%.cpp=$(BUILD)/%.o) $(LIB_SERVER) $(LIB_STORAGE) $(LIB_PROTO)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS_SERVER)

# The cache-stampede demo (see tools/stampede.cpp): a hiredis client, none of dq's layers.
.PHONY: stampede
stampede: $(BUILD)/stampede
$(BUILD)/stampede: tools/stampede.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) -o $@ $< -lhiredis -lpthread

run: deps build
	./$(SERVER_BIN) redis.conf.example

test: deps clients
	@$(MAKE) --no-print-directory -j$$(nproc) build
	@DQ_BUILD=$(BUILD) DQ_SANITIZER=$(SANITIZER) bash tools/run_tests.sh

unit: build
	@for t in $(UNIT_BINS); do $$t || exit 1; done

bench: deps build
	@DQ_BUILD=$(BUILD) /usr/bin/python3 tools/bench.py

lint:
	@bash tools/layer_check.sh
	@clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.h') && echo "format ok"

# The parser's fuzz target (clang's libFuzzer + ASan/UBSan). clang is installed here only, not
# by `make deps`: the build and `make test` use g++. New inputs found go to $(FUZZ_DIR)/corpus.
FUZZ_PACKAGES := clang libfmt-dev
FUZZ_TIME ?= 60
FUZZ_DIR  := $(BUILD)/fuzz
fuzz:
	@missing=""; for p in $(FUZZ_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi
	@mkdir -p $(FUZZ_DIR)/corpus
	clang++ -std=c++20 -O1 -g -I. -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer \
	  tools/fuzz_parser.cpp protocol/resp_parser.cpp -lfmt -o $(FUZZ_DIR)/fuzz_parser
	$(FUZZ_DIR)/fuzz_parser -max_total_time=$(FUZZ_TIME) -max_len=4096 -timeout=10 \
	  $(FUZZ_DIR)/corpus tools/fuzz_seeds

clean:
	rm -rf build build-* dq-server

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
