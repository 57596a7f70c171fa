// RDB files: a keyspace written with write_file loads back identically (values, TTLs,
// databases, function codes); every truncation and every single-byte corruption of the file
// is refused or loads cleanly (never a crash), and already expired keys are skipped.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "storage/rdb_file.h"

using namespace dq::storage;
using namespace dq::storage::rdb;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string dump_ks(const Keyspace& ks) {
  std::string out;
  for (int i = 0; i < ks.count(); ++i) {
    std::vector<std::string> keys;
    ks.db(i).for_each([&](Entry* e) {
      keys.push_back(std::to_string(i) + ":" + std::string(e->key()) + ":" +
                     std::to_string(e->expire_ms()) + ":" + dump_payload(*e));
    });
    std::sort(keys.begin(), keys.end());
    for (auto& k : keys) out += k + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("rdb file: write, load, truncation and corruption") {
  Keyspace ks(16, nullptr);
  ks.db(0).put(Entry::make_string("a", "1", false, -1));
  ks.db(0).put(Entry::make_string("t", "v", true, 4102444800000));
  ks.db(0).put(Entry::make_string("old", "v", true, 1000));  // expired at load
  auto* l = new QueueList;
  l->push_back("x");
  l->push_back("y");
  ks.db(3).put(Entry::make_heap("l", Type::List, Encoding::QuickList, l, false, -1));
  FileSaveOptions opt;
  opt.now_ms = 5000;
  opt.libs = {"#!lua name=x\nredis.register_function('f', function() return 1 end)"};
  std::string path = "/tmp/dq-unit-rdb-" + std::to_string(getpid()) + ".rdb";
  REQUIRE(write_file(ks, opt, path) == "");
  std::string image = read_all(path);
  std::remove(path.c_str());
  CHECK(image.substr(0, 9) == "REDIS0011");

  Keyspace back(16, nullptr);
  FileLoadResult res;
  REQUIRE(load_image(image, back, ValueLimits{}, 10000, 0, &res) == "");
  CHECK(res.keys_loaded == 3);
  CHECK(res.keys_expired == 1);
  CHECK(res.libs == opt.libs);
  ks.db(0).del("old", 0);
  CHECK(dump_ks(back) == dump_ks(ks));

  for (size_t cut = 0; cut < image.size(); ++cut) {
    Keyspace k(16, nullptr);
    FileLoadResult r;
    CHECK_MESSAGE(load_image(image.substr(0, cut), k, ValueLimits{}, 10000, 0, &r) != "", "cut at ",
                  cut);
  }
  for (size_t i = 0; i < image.size(); ++i) {
    std::string bad = image;
    bad[i] = static_cast<char>(bad[i] ^ 0x21);
    Keyspace k(16, nullptr);
    FileLoadResult r;
    // The CRC catches every single-byte change (unless it hits the CRC's own bytes... which
    // then mismatch too).
    CHECK_MESSAGE(load_image(bad, k, ValueLimits{}, 10000, 0, &r) != "", "byte ", i);
  }
  // A zero checksum is not checked (rdbchecksum no).
  std::string unchecked = image.substr(0, image.size() - 8) + std::string(8, '\0');
  Keyspace k(16, nullptr);
  CHECK(load_image(unchecked, k, ValueLimits{}, 10000, 0, &res) == "");
  // Another database count.
  Keyspace small(2, nullptr);
  CHECK(load_image(image, small, ValueLimits{}, 10000, 0, &res) != "");
}
