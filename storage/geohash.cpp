// geohash.cpp — see geohash.h. Every formula keeps Redis's operand order: the replies print
// the results to the last digit, so an algebraically equal rewrite is not equal here.
#include "storage/geohash.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace dq::storage::geo {

namespace {

constexpr double kDegToRad = M_PI / 180.0;
constexpr double kEarthRadiusMeters = 6372797.560856;
constexpr double kMercatorMax = 20037726.37;

double deg_rad(double ang) { return ang * kDegToRad; }
double rad_deg(double ang) { return ang / kDegToRad; }

// Spreads the low 32 bits of x to the even bit positions and those of y to the odd ones.
uint64_t interleave64(uint32_t xlo, uint32_t ylo) {
  auto spread = [](uint64_t v) {
    v = (v | (v << 16)) & 0x0000FFFF0000FFFFULL;
    v = (v | (v << 8)) & 0x00FF00FF00FF00FFULL;
    v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FULL;
    v = (v | (v << 2)) & 0x3333333333333333ULL;
    v = (v | (v << 1)) & 0x5555555555555555ULL;
    return v;
  };
  return spread(xlo) | (spread(ylo) << 1);
}

// The inverse: even bits to the low 32 bits of the result, odd bits to the high 32.
uint64_t deinterleave64(uint64_t interleaved) {
  auto squeeze = [](uint64_t v) {
    v &= 0x5555555555555555ULL;
    v = (v | (v >> 1)) & 0x3333333333333333ULL;
    v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
    v = (v | (v >> 4)) & 0x00FF00FF00FF00FFULL;
    v = (v | (v >> 8)) & 0x0000FFFF0000FFFFULL;
    v = (v | (v >> 16)) & 0x00000000FFFFFFFFULL;
    return v;
  };
  return squeeze(interleaved) | (squeeze(interleaved >> 1) << 32);
}

// x86-64's cvttsd2si: truncation, and INT64_MIN ("integer indefinite") when out of range.
int64_t cvtt(double x) {
  if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0)) return INT64_MIN;
  return static_cast<int64_t>(x);
}

// Moves a cell one step along one axis (d = +1 or -1, 0: stays). `axis` masks that axis's
// interleaved bits (longitude: the odd bits 0xaa.., latitude: the even bits 0x55..): the
// other axis's bits are filled with ones so the carry or borrow crosses them.
void move_axis(HashBits* hash, int d, uint64_t axis) {
  if (d == 0) return;
  uint64_t mine = hash->bits & axis;
  uint64_t other = hash->bits & ~axis;
  uint64_t gaps = ~axis >> (64 - hash->step * 2);
  if (d > 0) {
    mine = mine + (gaps + 1);
  } else {
    mine = mine | gaps;
    mine = mine - (gaps + 1);
  }
  mine &= (axis >> (64 - hash->step * 2));
  hash->bits = mine | other;
}

void move_x(HashBits* hash, int d) { move_axis(hash, d, 0xaaaaaaaaaaaaaaaaULL); }
void move_y(HashBits* hash, int d) { move_axis(hash, d, 0x5555555555555555ULL); }

}  // namespace

Range long_range() { return {kLongMin, kLongMax}; }
Range lat_range() { return {kLatMin, kLatMax}; }

bool encode(Range lon_r, Range lat_r, double longitude, double latitude, uint8_t step,
            HashBits* out) {
  if (step > 32 || step == 0 || (lat_r.min == 0 && lat_r.max == 0) ||
      (lon_r.min == 0 && lon_r.max == 0))
    return false;
  if (longitude > kLongMax || longitude < kLongMin || latitude > kLatMax || latitude < kLatMin)
    return false;
  out->bits = 0;
  out->step = step;
  if (latitude < lat_r.min || latitude > lat_r.max || longitude < lon_r.min ||
      longitude > lon_r.max)
    return false;
  double lat_offset = (latitude - lat_r.min) / (lat_r.max - lat_r.min);
  double long_offset = (longitude - lon_r.min) / (lon_r.max - lon_r.min);
  // To fixed point: the double -> uint32_t conversions truncate, as in C.
  lat_offset *= static_cast<double>(1ULL << step);
  long_offset *= static_cast<double>(1ULL << step);
  out->bits = interleave64(static_cast<uint32_t>(lat_offset), static_cast<uint32_t>(long_offset));
  return true;
}

bool encode_wgs84(double longitude, double latitude, uint8_t step, HashBits* out) {
  return encode(long_range(), lat_range(), longitude, latitude, step, out);
}

bool decode(Range lon_r, Range lat_r, HashBits hash, Area* out) {
  if (hash.zero() || (lat_r.min == 0 && lat_r.max == 0) || (lon_r.min == 0 && lon_r.max == 0))
    return false;
  out->hash = hash;
  uint64_t sep = deinterleave64(hash.bits);
  double lat_scale = lat_r.max - lat_r.min;
  double long_scale = lon_r.max - lon_r.min;
  uint32_t ilato = static_cast<uint32_t>(sep);
  uint32_t ilono = static_cast<uint32_t>(sep >> 32);
  double cells = static_cast<double>(1ULL << hash.step);
  // (ilato + 1) wraps in 32 bits, as Redis's unsigned arithmetic does.
  out->latitude.min = lat_r.min + (ilato * 1.0 / cells) * lat_scale;
  out->latitude.max = lat_r.min + (static_cast<uint32_t>(ilato + 1) * 1.0 / cells) * lat_scale;
  out->longitude.min = lon_r.min + (ilono * 1.0 / cells) * long_scale;
  out->longitude.max = lon_r.min + (static_cast<uint32_t>(ilono + 1) * 1.0 / cells) * long_scale;
  return true;
}

bool decode_to_long_lat(HashBits hash, double* xy) {
  Area area;
  if (!decode(long_range(), lat_range(), hash, &area)) return false;
  xy[0] = (area.longitude.min + area.longitude.max) / 2;
  if (xy[0] > kLongMax) xy[0] = kLongMax;
  if (xy[0] < kLongMin) xy[0] = kLongMin;
  xy[1] = (area.latitude.min + area.latitude.max) / 2;
  if (xy[1] > kLatMax) xy[1] = kLatMax;
  if (xy[1] < kLatMin) xy[1] = kLatMin;
  return true;
}

uint64_t align52(HashBits hash) { return hash.bits << (52 - hash.step * 2); }

void neighbors(const HashBits& hash, Neighbors* n) {
  n->east = n->west = n->north = n->south = hash;
  n->south_east = n->south_west = n->north_east = n->north_west = hash;
  move_x(&n->east, 1);
  move_x(&n->west, -1);
  move_y(&n->south, -1);
  move_y(&n->north, 1);
  move_x(&n->north_west, -1);
  move_y(&n->north_west, 1);
  move_x(&n->north_east, 1);
  move_y(&n->north_east, 1);
  move_x(&n->south_east, 1);
  move_y(&n->south_east, -1);
  move_x(&n->south_west, -1);
  move_y(&n->south_west, -1);
}

uint64_t score_to_bits(double score) {
  // gcc's double -> uint64 on x86-64: below 2^63 (or NaN) a signed conversion; above, a
  // signed conversion of score - 2^63 with the top bit flipped.
  if (!(score >= 9223372036854775808.0)) return static_cast<uint64_t>(cvtt(score));
  return static_cast<uint64_t>(cvtt(score - 9223372036854775808.0)) ^ (1ULL << 63);
}

void decode_score(double score, double* xy) {
  decode_to_long_lat(HashBits{score_to_bits(score), kStepMax}, xy);
}

int64_t score_to_int(double score) { return cvtt(score); }

double lat_distance(double lat1, double lat2) {
  return kEarthRadiusMeters * std::fabs(deg_rad(lat2) - deg_rad(lat1));
}

double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
  double lon1r = deg_rad(lon1d);
  double lon2r = deg_rad(lon2d);
  double v = std::sin((lon2r - lon1r) / 2);
  // Redis 7.2: the same longitude reduces the haversine to the latitude difference.
  if (v == 0.0) return lat_distance(lat1d, lat2d);
  double lat1r = deg_rad(lat1d);
  double lat2r = deg_rad(lat2d);
  double u = std::sin((lat2r - lat1r) / 2);
  double a = u * u + std::cos(lat1r) * std::cos(lat2r) * v * v;
  return 2.0 * kEarthRadiusMeters * std::asin(std::sqrt(a));
}

bool distance_if_in_radius(double x1, double y1, double x2, double y2, double radius,
                           double* dist) {
  *dist = distance(x1, y1, x2, y2);
  return !(*dist > radius);
}

bool distance_if_in_rectangle(double width_m, double height_m, double x1, double y1, double x2,
                              double y2, double* dist) {
  // The latitude distance is cheaper, so it is tested first (Redis 7.2).
  double lat_dist = lat_distance(y2, y1);
  if (lat_dist > height_m / 2) return false;
  double lon_dist = distance(x2, y2, x1, y2);
  if (lon_dist > width_m / 2) return false;
  *dist = distance(x1, y1, x2, y2);
  return true;
}

bool within_shape(const Shape& shape, double score, double* xy, double* dist) {
  decode_score(score, xy);
  if (shape.type == Shape::Type::Circle)
    return distance_if_in_radius(shape.xy[0], shape.xy[1], xy[0], xy[1],
                                 shape.radius * shape.conversion, dist);
  return distance_if_in_rectangle(shape.width * shape.conversion, shape.height * shape.conversion,
                                  shape.xy[0], shape.xy[1], xy[0], xy[1], dist);
}

uint8_t estimate_steps_by_radius(double range_meters, double latitude) {
  if (range_meters == 0) return 26;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    step++;
  }
  step -= 2;  // make sure the range is included in most of the base cases
  // Wider cells towards the poles (Redis's approximation).
  if (latitude > 66 || latitude < -66) {
    step--;
    if (latitude > 80 || latitude < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return static_cast<uint8_t>(step);
}

void bounding_box(Shape* shape) {
  double longitude = shape->xy[0];
  double latitude = shape->xy[1];
  bool circle = shape->type == Shape::Type::Circle;
  double height = shape->conversion * (circle ? shape->radius : shape->height / 2);
  double width = shape->conversion * (circle ? shape->radius : shape->width / 2);
  const double lat_delta = rad_deg(height / kEarthRadiusMeters);
  const double long_delta_top =
      rad_deg(width / kEarthRadiusMeters / std::cos(deg_rad(latitude + lat_delta)));
  const double long_delta_bottom =
      rad_deg(width / kEarthRadiusMeters / std::cos(deg_rad(latitude - lat_delta)));
  // The hemispheres bend opposite ways: the wider edge is the one nearer the pole.
  bool southern = latitude < 0;
  shape->bounds[0] = southern ? longitude - long_delta_bottom : longitude - long_delta_top;
  shape->bounds[2] = southern ? longitude + long_delta_bottom : longitude + long_delta_top;
  shape->bounds[1] = latitude - lat_delta;
  shape->bounds[3] = latitude + lat_delta;
}

SearchArea calculate_areas(Shape* shape) {
  bounding_box(shape);
  double min_lon = shape->bounds[0], min_lat = shape->bounds[1];
  double max_lon = shape->bounds[2], max_lat = shape->bounds[3];
  double longitude = shape->xy[0];
  double latitude = shape->xy[1];
  // A box is estimated as the circle through its corners.
  double radius_meters = shape->type == Shape::Type::Circle
                             ? shape->radius
                             : std::sqrt((shape->width / 2) * (shape->width / 2) +
                                         (shape->height / 2) * (shape->height / 2));
  radius_meters *= shape->conversion;

  int steps = estimate_steps_by_radius(radius_meters, latitude);
  Range lon_r = long_range(), lat_r = lat_range();
  SearchArea out;
  encode(lon_r, lat_r, longitude, latitude, static_cast<uint8_t>(steps), &out.hash);
  neighbors(out.hash, &out.neighbors);
  decode(lon_r, lat_r, out.hash, &out.area);

  // When the search area reaches past a neighbour, one step coarser.
  bool decrease_step = false;
  {
    Area north, south, east, west;
    decode(lon_r, lat_r, out.neighbors.north, &north);
    decode(lon_r, lat_r, out.neighbors.south, &south);
    decode(lon_r, lat_r, out.neighbors.east, &east);
    decode(lon_r, lat_r, out.neighbors.west, &west);
    if (north.latitude.max < max_lat) decrease_step = true;
    if (south.latitude.min > min_lat) decrease_step = true;
    if (east.longitude.max < max_lon) decrease_step = true;
    if (west.longitude.min > min_lon) decrease_step = true;
  }
  if (steps > 1 && decrease_step) {
    steps--;
    encode(lon_r, lat_r, longitude, latitude, static_cast<uint8_t>(steps), &out.hash);
    neighbors(out.hash, &out.neighbors);
    decode(lon_r, lat_r, out.hash, &out.area);
  }

  // Neighbours the search area cannot reach are zeroed (skipped).
  if (steps >= 2) {
    Neighbors& n = out.neighbors;
    if (out.area.latitude.min < min_lat) n.south = n.south_west = n.south_east = HashBits{};
    if (out.area.latitude.max > max_lat) n.north = n.north_east = n.north_west = HashBits{};
    if (out.area.longitude.min < min_lon) n.west = n.south_west = n.north_west = HashBits{};
    if (out.area.longitude.max > max_lon) n.east = n.south_east = n.north_east = HashBits{};
  }
  return out;
}

void cell_scores(HashBits hash, double* min, double* max) {
  *min = static_cast<double>(align52(hash));
  hash.bits++;
  *max = static_cast<double>(align52(hash));
}

std::string hash_string(double score) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  double xy[2];
  decode_score(score, xy);
  HashBits hash;
  encode(Range{-180, 180}, Range{-90, 90}, xy[0], xy[1], 26, &hash);
  std::string out(11, '0');
  for (int i = 0; i < 10; ++i) out[i] = kAlphabet[(hash.bits >> (52 - (i + 1) * 5)) & 0x1f];
  return out;  // the 11th character: Redis has 52 bits and assumes zeros
}

size_t format_distance(double d, char* buf) {
  constexpr int kDigits = 4;
  if (d == 0) {
    std::memcpy(buf, "0.0000", 6);
    return 6;
  }
  long long svalue = std::llrint(d * 10000.0);
  size_t len = 0;
  unsigned long long value;
  if (svalue < 0) {
    value = svalue != LLONG_MIN ? static_cast<unsigned long long>(-svalue)
                                : static_cast<unsigned long long>(LLONG_MAX) + 1;
    buf[len++] = '-';
  } else {
    value = static_cast<unsigned long long>(svalue);
  }
  char digits[24];
  int n = std::snprintf(digits, sizeof(digits), "%llu", value);
  int pad = n < kDigits + 1 ? kDigits + 1 - n : 0;  // at least one integer digit
  int int_digits = n + pad - kDigits;
  for (int i = 0; i < n + pad; ++i) {
    if (i == int_digits) buf[len++] = '.';
    buf[len++] = i < pad ? '0' : digits[i - pad];
  }
  return len;
}

size_t format_coord(double d, char* buf) {
  int l = std::snprintf(buf, 64, "%.17Lf", static_cast<long double>(d));
  if (l < 0 || l >= 64) {
    buf[0] = '0';
    return 1;
  }
  if (std::memchr(buf, '.', static_cast<size_t>(l))) {
    while (buf[l - 1] == '0') --l;
    if (buf[l - 1] == '.') --l;
  }
  if (l == 2 && buf[0] == '-' && buf[1] == '0') {
    buf[0] = '0';
    l = 1;
  }
  return static_cast<size_t>(l);
}

}  // namespace dq::storage::geo
