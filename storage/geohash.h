// geohash.h — Redis's geohash: the 52-bit interleaved cell codes that geo sets store as
// sorted-set scores, their decoding to cell centres, the 8 neighbours of a cell, the
// haversine distance, the search-area estimation and the text forms geo replies use.
//
// Owns: pure functions over doubles and integers. Must not include: sockets, libuv,
// protocol, server/, or the zset (storage/geo.h does the searching).
//
// Everything here reproduces Redis 7.2 bit for bit (geohash.c, geohash_helper.c, geo.c and
// util.c's fixedpoint_d2string / ld2string), because replies print the decoded coordinates
// and distances to the last digit, and which cells a search visits decides the order of
// unsorted results and which members COUNT ANY returns:
// - the same constants (latitude limits +-85.05112878, Earth radius 6372797.560856 m,
//   MERCATOR_MAX 20037726.37) and the same expression order. This file is compiled with
//   -ffp-contract=off (see the Makefile) so no multiply-add is fused: a fused one rounds
//   once instead of twice and moves the last bit;
// - sin/cos/asin come from the C library Redis uses on the same machine;
// - 7.2's shortcuts: a distance between points of equal longitude is R * |dlat| (not the
//   haversine, which differs in the last bits), and the box test compares the latitude
//   distance first.
//
// Cells: a step-s hash has 2s bits, latitude in the even bits and longitude in the odd ones;
// a score is a step-26 hash. A HashBits with bits == 0 and step == 0 is "zero": a neighbour
// excluded from a search.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace dq::storage::geo {

constexpr double kLongMin = -180;
constexpr double kLongMax = 180;
constexpr double kLatMin = -85.05112878;
constexpr double kLatMax = 85.05112878;
constexpr uint8_t kStepMax = 26;  // 52 bits: what GEOADD stores

struct HashBits {
  uint64_t bits = 0;
  uint8_t step = 0;
  bool zero() const { return bits == 0 && step == 0; }
  bool operator==(const HashBits&) const = default;
};

struct Range {
  double min = 0, max = 0;
};

struct Area {
  HashBits hash;
  Range longitude, latitude;
};

struct Neighbors {
  HashBits north, east, west, south, north_east, south_east, north_west, south_west;
};

// Redis's GeoShape: a circle (radius) or an axis-aligned box (width x height) around xy,
// sizes in the request's unit; conversion turns the unit into meters. bounds is filled by
// calculate_areas: {min lon, min lat, max lon, max lat}.
struct Shape {
  enum class Type : uint8_t { Circle, Box } type = Type::Circle;
  double xy[2] = {0, 0};  // longitude, latitude
  double conversion = 1;
  double radius = 0;
  double width = 0, height = 0;
  double bounds[4] = {0, 0, 0, 0};
};

// The cell around the centre, its 8 neighbours (some zeroed when useless) and the cell's area.
struct SearchArea {
  HashBits hash;
  Neighbors neighbors;
  Area area;
};

// The WGS84 ranges geo sets use: longitude [-180, 180], latitude [kLatMin, kLatMax].
Range long_range();
Range lat_range();

// Encodes (longitude, latitude) at step (1..32) within the given ranges; false when a
// coordinate is outside its range or outside the WGS84 limits (Redis's geohashEncode).
bool encode(Range lon_r, Range lat_r, double longitude, double latitude, uint8_t step,
            HashBits* out);
bool encode_wgs84(double longitude, double latitude, uint8_t step, HashBits* out);
// The cell of hash within the ranges; false for a zero hash.
bool decode(Range lon_r, Range lat_r, HashBits hash, Area* out);
// The centre of hash's WGS84 cell, clamped to the limits: xy = {longitude, latitude}.
bool decode_to_long_lat(HashBits hash, double* xy);
// Shifts a step-s hash to 52 bits (a score).
uint64_t align52(HashBits hash);
void neighbors(const HashBits& hash, Neighbors* out);

// A zset score as the 52-bit hash: C's (uint64_t) conversion of a double as x86-64 does it
// (scores that are not geohashes, written by ZADD, still decode to something).
uint64_t score_to_bits(double score);
// The centre of the step-26 cell of a score (what GEOPOS prints).
void decode_score(double score, double* xy);
// A score as the signed integer WITHHASH replies ((long long) of the double, x86-64).
int64_t score_to_int(double score);

// Great-circle distance in meters (Redis 7.2's geohashGetDistance).
double distance(double lon1, double lat1, double lon2, double lat2);
// Meters between two latitudes on one meridian.
double lat_distance(double lat1, double lat2);
// Circle test: *dist is always set; true when within radius meters.
bool distance_if_in_radius(double x1, double y1, double x2, double y2, double radius, double* dist);
// Box test (width_m x height_m meters centred on x1, y1): *dist is set when inside.
bool distance_if_in_rectangle(double width_m, double height_m, double x1, double y1, double x2,
                              double y2, double* dist);
// Whether a member with this score lies in shape; xy gets its decoded position and *dist
// its distance from the centre in meters (Redis's geoWithinShape).
bool within_shape(const Shape& shape, double score, double* xy, double* dist);

// The step whose cells are about as large as a search of range_meters at latitude.
uint8_t estimate_steps_by_radius(double range_meters, double latitude);
// Fills shape->bounds (Redis's geohashBoundingBox).
void bounding_box(Shape* shape);
// The 9 cells to scan for shape (Redis's geohashCalculateAreasByShapeWGS84); fills bounds.
SearchArea calculate_areas(Shape* shape);
// Scores [*min, *max) of the step-26 members inside cell hash.
void cell_scores(HashBits hash, double* min, double* max);

// The 11-character base32 geohash GEOHASH answers for a score (re-encoded with the standard
// latitude range [-90, 90]; the 11th character is always '0').
std::string hash_string(double score);
// A distance as Redis 7.2 prints it: fixed point with 4 decimals (fixedpoint_d2string:
// llrint(d * 10000), then the digits). Returns the length written to buf (>= 32 bytes).
size_t format_distance(double d, char* buf);
// A coordinate as Redis prints it (ld2string LD_STR_HUMAN: "%.17Lf" of the long double,
// trailing zeros and dot removed, "-0" as "0"). Returns the length written to buf (>= 64).
size_t format_coord(double d, char* buf);

}  // namespace dq::storage::geo
