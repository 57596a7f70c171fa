// Unit tests for storage/geohash.h and storage/geo.h: encoding and decoding (values Redis
// answers for the same input), neighbours, distances, the search-area estimate, the text
// forms, the 9-cell search over a zset and the two sorts. Links only the storage library.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "storage/geo.h"
#include "storage/geohash.h"
#include "storage/zset.h"

namespace {

namespace geo = dq::storage::geo;
using dq::storage::ZSetLimits;
using dq::storage::ZSetObject;

uint64_t score_of(double lon, double lat) {
  geo::HashBits h;
  REQUIRE(geo::encode_wgs84(lon, lat, geo::kStepMax, &h));
  return geo::align52(h);
}

std::string coord(double v) {
  char buf[64];
  return std::string(buf, geo::format_coord(v, buf));
}

std::string dist(double v) {
  char buf[64];
  return std::string(buf, geo::format_distance(v, buf));
}

}  // namespace

TEST_CASE("geohash: GEOADD scores and GEOPOS / GEOHASH text are Redis's") {
  // Redis's documentation example (GEOADD Sicily ... Palermo / Catania).
  CHECK(score_of(13.361389, 38.115556) == 3479099956230698ULL);
  CHECK(score_of(15.087269, 37.502669) == 3479447370796909ULL);
  double xy[2];
  geo::decode_score(3479099956230698.0, xy);
  CHECK(coord(xy[0]) == "13.36138933897018433");
  CHECK(coord(xy[1]) == "38.11555639549629859");
  CHECK(geo::hash_string(3479099956230698.0) == "sqc8b49rny0");
  CHECK(geo::hash_string(3479447370796909.0) == "sqdtr74hyu0");
  // The limits are valid; just past them is not.
  geo::HashBits h;
  CHECK(geo::encode_wgs84(180, geo::kLatMax, 26, &h));
  CHECK(geo::encode_wgs84(-180, geo::kLatMin, 26, &h));
  CHECK_FALSE(geo::encode_wgs84(180.0000001, 0, 26, &h));
  CHECK_FALSE(geo::encode_wgs84(0, 85.051128781, 26, &h));
  CHECK_FALSE(geo::encode_wgs84(0, 0, 0, &h));
  CHECK_FALSE(geo::encode_wgs84(0, 0, 33, &h));
}

TEST_CASE("geohash: decoding gives the cell centre, within half a cell of the input") {
  std::mt19937_64 rnd(1);
  std::uniform_real_distribution<double> lon(-180, 180), lat(geo::kLatMin, geo::kLatMax);
  const double half_lon = 360.0 / (1 << 26) / 2, half_lat = 170.10225756 / (1 << 26) / 2;
  for (int i = 0; i < 20000; ++i) {
    double x = lon(rnd), y = lat(rnd), xy[2];
    uint64_t s = score_of(x, y);
    CHECK(s < (1ULL << 52));
    geo::decode_score(static_cast<double>(s), xy);
    CHECK(std::fabs(xy[0] - x) <= half_lon * 1.0000001);
    CHECK(std::fabs(xy[1] - y) <= half_lat * 1.0000001);
    CHECK(score_of(xy[0], xy[1]) == s);  // the centre is in its own cell
  }
}

TEST_CASE("geohash: scores that are not geohashes decode like Redis's (uint64_t) cast") {
  CHECK(geo::score_to_bits(-1.0) == ~0ULL);
  CHECK(geo::score_to_bits(1.5) == 1);
  CHECK(geo::score_to_bits(INFINITY) == 0);
  CHECK(geo::score_to_bits(-INFINITY) == 1ULL << 63);
  CHECK(geo::score_to_bits(9223372036854775808.0) == 1ULL << 63);
  CHECK(geo::score_to_bits(1e19) == 10000000000000000000ULL);
  CHECK(geo::score_to_bits(1e30) == 0);
  CHECK(geo::score_to_bits(-1e30) == 1ULL << 63);
  CHECK(geo::score_to_int(1.9) == 1);
  CHECK(geo::score_to_int(1e30) == INT64_MIN);
  // What redis-server answers for GEOPOS of such members.
  double xy[2];
  geo::decode_score(-1.0, xy);
  CHECK(coord(xy[0]) == "180");
  CHECK(coord(xy[1]) == "85.0511287799999991");
  geo::decode_score(INFINITY, xy);
  CHECK(coord(xy[0]) == "-179.99999731779098511");
  CHECK(coord(xy[1]) == "-85.05112751263942528");
}

TEST_CASE("geohash: neighbours are the adjacent cells, wrapping around in longitude") {
  std::mt19937_64 rnd(2);
  std::uniform_real_distribution<double> lon(-179, 179), lat(-80, 80);
  geo::Range lr = geo::long_range(), ar = geo::lat_range();
  for (int i = 0; i < 2000; ++i) {
    uint8_t step = static_cast<uint8_t>(1 + rnd() % 26);
    geo::HashBits h;
    REQUIRE(geo::encode_wgs84(lon(rnd), lat(rnd), step, &h));
    geo::Neighbors n;
    geo::neighbors(h, &n);
    geo::Area c, e, w, no, so, ne, sw;
    REQUIRE(geo::decode(lr, ar, h, &c));
    geo::decode(lr, ar, n.east, &e);
    geo::decode(lr, ar, n.west, &w);
    geo::decode(lr, ar, n.north, &no);
    geo::decode(lr, ar, n.south, &so);
    geo::decode(lr, ar, n.north_east, &ne);
    geo::decode(lr, ar, n.south_west, &sw);
    bool east_wraps = c.longitude.max >= 180, west_wraps = c.longitude.min <= -180;
    if (!east_wraps) CHECK(e.longitude.min == doctest::Approx(c.longitude.max));
    if (!west_wraps) CHECK(w.longitude.max == doctest::Approx(c.longitude.min));
    CHECK(e.latitude.min == c.latitude.min);
    if (c.latitude.max < geo::kLatMax) CHECK(no.latitude.min == doctest::Approx(c.latitude.max));
    if (c.latitude.min > geo::kLatMin) CHECK(so.latitude.max == doctest::Approx(c.latitude.min));
    CHECK(no.longitude.min == c.longitude.min);
    CHECK(ne.latitude.min == no.latitude.min);
    CHECK(ne.longitude.min == e.longitude.min);
    CHECK(sw.latitude.min == so.latitude.min);
    CHECK(sw.longitude.min == w.longitude.min);
  }
  // The easternmost cell's east neighbour is the westernmost one.
  geo::HashBits h, west_edge;
  geo::encode_wgs84(179.9999999, 10, 26, &h);
  geo::encode_wgs84(-179.9999999, 10, 26, &west_edge);
  geo::Neighbors n;
  geo::neighbors(h, &n);
  CHECK(n.east == west_edge);
}

TEST_CASE("geohash: distances as Redis 7.2 computes and prints them") {
  double a[2], b[2];
  geo::decode_score(3479099956230698.0, a);
  geo::decode_score(3479447370796909.0, b);
  CHECK(dist(geo::distance(a[0], a[1], b[0], b[1])) == "166274.1516");
  CHECK(dist(geo::distance(a[0], a[1], b[0], b[1]) / 1000) == "166.2742");
  CHECK(geo::distance(a[0], a[1], a[0], a[1]) == 0);
  // Equal longitudes: R * |dlat| exactly (7.2), not the haversine's last bits.
  double lat1 = 47.81897797268272, lat2 = 47.43455925954536;
  const double r = 6372797.560856, d2r = M_PI / 180.0;
  CHECK(geo::distance(-53.5, lat1, -53.5, lat2) == r * std::fabs(lat2 * d2r - lat1 * d2r));
  CHECK(geo::lat_distance(lat1, lat2) == geo::lat_distance(lat2, lat1));
  // Antipodes and the poles stay finite.
  CHECK(geo::distance(0, 0, 180, 0) == doctest::Approx(M_PI * r));
  CHECK(geo::distance(0, 85, 180, 85) == doctest::Approx(10 * d2r * r));
}

TEST_CASE("geohash: distance text is llrint(d * 10000) with 4 decimals") {
  CHECK(dist(0) == "0.0000");
  CHECK(dist(-0.0) == "0.0000");
  CHECK(dist(1e-9) == "0.0000");
  CHECK(dist(0.00005) == "0.0000");  // 0.5 rounds to even; %.4f says 0.0001
  CHECK(dist(0.00015) == "0.0001");  // 1.4999999999999998 after the product
  CHECK(dist(0.0012) == "0.0012");
  CHECK(dist(0.5) == "0.5000");
  CHECK(dist(1.23456) == "1.2346");
  CHECK(dist(12345.6789) == "12345.6789");
  CHECK(dist(8719896.53085) == "8719896.5308");  // the product rounds before llrint
  CHECK(dist(NAN) == "-922337203685477.5808");   // llrint's "indefinite", as Redis prints
  // Away from a rounding tie it is %.4f.
  std::mt19937_64 rnd(3);
  std::uniform_real_distribution<double> u(0, 2e7);
  for (int i = 0; i < 20000; ++i) {
    double d = u(rnd);
    double scaled = d * 10000;
    if (std::fabs(scaled - std::floor(scaled) - 0.5) < 1e-3) continue;
    char want[64];
    std::snprintf(want, sizeof(want), "%.4f", d);
    CHECK(dist(d) == want);
  }
}

TEST_CASE("geohash: coordinate text is %.17Lf without trailing zeros") {
  CHECK(coord(180) == "180");
  CHECK(coord(-180) == "-180");
  CHECK(coord(0.5) == "0.5");
  CHECK(coord(-0.0) == "0");
  CHECK(coord(-1e-20) == "0");
  CHECK(coord(1e-20) == "0");
  CHECK(coord(15.087267458438873) == "15.08726745843887329");
}

TEST_CASE("geohash: the step estimate and the 9 search cells") {
  CHECK(geo::estimate_steps_by_radius(0, 0) == 26);
  CHECK(geo::estimate_steps_by_radius(1, 0) == 24);
  CHECK(geo::estimate_steps_by_radius(5000000, 0) == 2);
  CHECK(geo::estimate_steps_by_radius(5000000, 70) == 1);
  CHECK(geo::estimate_steps_by_radius(1000, 0) == 14);
  CHECK(geo::estimate_steps_by_radius(1000, 70) == 13);
  CHECK(geo::estimate_steps_by_radius(1000, -81) == 12);
  CHECK(geo::estimate_steps_by_radius(1e9, 0) == 1);

  // Every point of a circle lies in one of the cells kept (mid-latitudes, away from the
  // antimeridian), and a neighbour is dropped only when the centre cell covers that side.
  std::mt19937_64 rnd(5);
  std::uniform_real_distribution<double> lon(-170, 170), lat(-60, 60), unit(0, 1);
  for (int i = 0; i < 300; ++i) {
    geo::Shape s;
    s.xy[0] = lon(rnd);
    s.xy[1] = lat(rnd);
    s.radius = std::pow(10, 1 + 5 * unit(rnd));  // 10 m .. 1000 km
    geo::SearchArea area = geo::calculate_areas(&s);
    int est = geo::estimate_steps_by_radius(s.radius, s.xy[1]);
    CHECK((area.hash.step == est || area.hash.step == est - 1));
    CHECK(s.bounds[0] < s.xy[0]);
    CHECK(s.bounds[2] > s.xy[0]);
    CHECK(s.bounds[1] < s.xy[1]);
    CHECK(s.bounds[3] > s.xy[1]);
    if (area.neighbors.east.zero()) CHECK(area.area.longitude.max > s.bounds[2]);
    if (area.neighbors.west.zero()) CHECK(area.area.longitude.min < s.bounds[0]);
    if (area.neighbors.north.zero()) CHECK(area.area.latitude.max > s.bounds[3]);
    if (area.neighbors.south.zero()) CHECK(area.area.latitude.min < s.bounds[1]);
    const geo::Neighbors& n = area.neighbors;
    const geo::HashBits cells[9] = {area.hash,    n.north,      n.south,      n.east,      n.west,
                                    n.north_east, n.north_west, n.south_east, n.south_west};
    for (int k = 0; k < 200; ++k) {
      // A point at a random bearing and distance (an equirectangular step, then the test).
      double ang = 2 * M_PI * unit(rnd), frac = std::sqrt(unit(rnd));
      double dlat = frac * s.radius * std::sin(ang) / 111195.0;
      double dlon = frac * s.radius * std::cos(ang) / (111195.0 * std::cos(s.xy[1] * M_PI / 180));
      double px = s.xy[0] + dlon, py = s.xy[1] + dlat, xy[2];
      double score = static_cast<double>(score_of(px, py));
      geo::decode_score(score, xy);
      if (geo::distance(s.xy[0], s.xy[1], xy[0], xy[1]) > s.radius) continue;
      bool covered = false;
      for (const auto& c : cells) {
        if (c.zero()) continue;
        double lo, hi;
        geo::cell_scores(c, &lo, &hi);
        covered = covered || (score >= lo && score < hi);
      }
      CHECK(covered);
    }
  }

  // A huge box: step 1, nothing zeroed (Redis keeps all 9 at step 1).
  geo::Shape big;
  big.type = geo::Shape::Type::Box;
  big.width = big.height = 30000000;
  geo::SearchArea area = geo::calculate_areas(&big);
  CHECK(area.hash.step == 1);
  CHECK_FALSE(area.neighbors.north.zero());

  double lo, hi;
  geo::cell_scores(area.hash, &lo, &hi);
  CHECK(hi - lo == static_cast<double>(1ULL << 50));
}

namespace {

std::vector<std::string> members(const std::vector<geo::Point>& pts) {
  std::vector<std::string> out;
  for (const auto& p : pts) out.emplace_back(p.member);
  return out;
}

}  // namespace

TEST_CASE("geo: search scans the cells in Redis's order and stops at the ANY limit") {
  for (size_t listpack_max : {128, 0}) {
    ZSetObject z(ZSetLimits{listpack_max, 64});
    z.insert("Palermo", static_cast<double>(score_of(13.361389, 38.115556)));
    z.insert("Catania", static_cast<double>(score_of(15.087269, 37.502669)));
    z.insert("far", static_cast<double>(score_of(100, 10)));
    z.insert("near", static_cast<double>(score_of(15.01, 37.01)));
    geo::Shape s;
    s.xy[0] = 15;
    s.xy[1] = 37;
    s.radius = 200;
    s.conversion = 1000;
    geo::SearchArea area = geo::calculate_areas(&s);
    std::vector<geo::Point> pts;
    geo::search(z, area, s, 0, &pts);
    REQUIRE(pts.size() == 3);
    auto found = members(pts);
    CHECK(std::find(found.begin(), found.end(), "far") == found.end());
    for (const auto& p : pts) CHECK(p.dist <= 200000);
    geo::sort_points(&pts, geo::Order::Asc, pts.size());
    CHECK(members(pts) == std::vector<std::string>{"near", "Catania", "Palermo"});
    CHECK(dist(pts[1].dist / 1000) == "56.4413");
    geo::sort_points(&pts, geo::Order::Desc, 1);
    CHECK(pts[0].member == "Palermo");

    std::vector<geo::Point> limited;
    geo::search(z, area, s, 2, &limited);
    CHECK(limited.size() == 2);

    // A box: Palermo is 190 km away but outside a 200 x 200 km box around (15, 37).
    s.type = geo::Shape::Type::Box;
    s.width = s.height = 200;
    area = geo::calculate_areas(&s);
    pts.clear();
    geo::search(z, area, s, 0, &pts);
    found = members(pts);
    std::sort(found.begin(), found.end());
    CHECK(found == std::vector<std::string>{"Catania", "near"});
  }
}

namespace {

int by_dist(const geo::Point& a, const geo::Point& b) {
  return a.dist > b.dist ? 1 : a.dist == b.dist ? 0 : -1;
}

std::vector<geo::Point> make_points(const std::vector<double>& d, std::vector<std::string>* names) {
  names->clear();
  for (size_t i = 0; i < d.size(); ++i) names->push_back("p" + std::to_string(i));
  std::vector<geo::Point> out;
  for (size_t i = 0; i < d.size(); ++i) out.push_back(geo::Point{0, 0, d[i], 0, (*names)[i]});
  return out;
}

}  // namespace

TEST_CASE("geo: the full sort is stable, the partial one sorts the requested prefix") {
  std::mt19937_64 rnd(4);
  std::vector<std::string> names;
  for (int round = 0; round < 300; ++round) {
    size_t n = 1 + rnd() % 120;
    std::vector<double> d(n);
    for (auto& v : d) v = static_cast<double>(rnd() % 10);  // many ties
    auto pts = make_points(d, &names);
    auto want = pts;
    std::stable_sort(want.begin(), want.end(),
                     [](const geo::Point& a, const geo::Point& b) { return a.dist < b.dist; });
    geo::merge_sort(pts.data(), pts.size(), by_dist);
    CHECK(members(pts) == members(want));

    pts = make_points(d, &names);
    size_t k = 1 + rnd() % n;
    geo::partial_quicksort(pts.data(), n, by_dist, 0, k - 1);
    for (size_t i = 0; i < k; ++i) CHECK(pts[i].dist == want[i].dist);
    auto all = members(pts), orig = names;
    std::sort(all.begin(), all.end());
    std::sort(orig.begin(), orig.end());
    CHECK(all == orig);  // a permutation
  }
}

TEST_CASE("geo: the partial sort orders ties as Redis's pqsort does") {
  // GEOSEARCH ... COUNT k on redis-server: 27 results, 8 of them at equal distance (p9..p16).
  std::vector<double> d = {9440.6, 9439.0, 7355.5, 4321.2, 3247.0, 269.98, 2064.3, 168.86, 285.50,
                           0,      0,      0,      0,      0,      0,      0,      0,      582.33,
                           18988,  17497,  17264,  17026,  18805,  18662,  18827,  18676,  18881};
  std::vector<std::string> names;
  auto pts = make_points(d, &names);
  geo::partial_quicksort(pts.data(), pts.size(), by_dist, 0, 9);
  pts.resize(10);
  CHECK(members(pts) == std::vector<std::string>{"p10", "p16", "p15", "p14", "p13", "p11", "p9",
                                                 "p12", "p7", "p5"});
}
