// Keyspace notification classes: notify-keyspace-events parsing and Redis's canonical
// rendering (keyspaceEventsFlagsToString's order).
#include <doctest/doctest.h>

#include "server/notify.h"

namespace notify = dq::server::notify;

TEST_CASE("notify: class letters parse, unknown ones reject the whole string") {
  CHECK(notify::parse_flags("") == 0);
  CHECK(notify::parse_flags("K") == notify::kKeyspace);
  CHECK(notify::parse_flags("Ex") == (notify::kKeyevent | notify::kExpired));
  CHECK(notify::parse_flags("A") == notify::kAll);
  CHECK((notify::parse_flags("A") & (notify::kKeyMiss | notify::kNew)) == 0);
  CHECK(notify::parse_flags("KEw") == -1);
  CHECK(notify::parse_flags("a") == -1);
  CHECK(notify::parse_flags(" ") == -1);
}

TEST_CASE("notify: rendering follows Redis's order, A for the union") {
  auto render = [](const char* s) {
    return notify::flags_to_string(static_cast<uint32_t>(notify::parse_flags(s)));
  };
  CHECK(render("KEA") == "AKE");
  CHECK(render("xK") == "xK");
  CHECK(render("EK") == "KE");
  CHECK(render("$g") == "g$");
  CHECK(render("g$lshzxetd") == "A");
  CHECK(render("AKEnm") == "AKEm");  // 'n' is hidden next to 'A', as in Redis
  CHECK(render("nmKE") == "nKEm");
  CHECK(render("") == "");
}
