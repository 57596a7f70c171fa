// geo.h — searches over a geo set: a sorted set whose scores are 52-bit geohashes
// (storage/geohash.h). GEOSEARCH, GEORADIUS and their variants are built on these.
//
// Owns: the cell-by-cell scan and the result sorts. Must not include: sockets, libuv,
// protocol, server/.
//
// Order is part of the reply, so both follow Redis 7.2 exactly:
// - search() visits the centre cell, then north, south, east, west, north-east, north-west,
//   south-east, south-west (skipping zeroed cells and a cell equal to the one visited just
//   before), each as the score range [min, max) in (score, member) order; a limit (COUNT n
//   ANY) stops the scan as soon as n members matched. Unsorted replies are this order.
// - sort_points() sorts by distance like Redis on Debian 12: the whole array with glibc's
//   qsort, a stable top-down merge sort; only the first `returned` (COUNT n) with Redis's
//   pqsort, a partial Bentley-McIlroy quicksort whose order among equal distances is its own.
//   Both are reproduced step for step (not std::sort), so ties come out in the same order.
#pragma once
#include <cstddef>
#include <string_view>
#include <vector>

#include "storage/geohash.h"
#include "storage/zset.h"

namespace dq::storage::geo {

struct Point {
  double longitude, latitude;  // the decoded cell centre
  double dist;                 // meters from the search centre
  double score;
  std::string_view member;  // a view into the zset: valid until it changes
};

// Appends the members of z inside shape (shape.bounds filled by calculate_areas) from the
// cells of area, in Redis's order. limit 0 = no limit.
void search(const ZSetObject& z, const SearchArea& area, const Shape& shape, size_t limit,
            std::vector<Point>* out);

enum class Order : uint8_t { None, Asc, Desc };
// Sorts so that the first `returned` points are the nearest (Asc) or farthest (Desc).
void sort_points(std::vector<Point>* points, Order order, size_t returned);

// The two sorts, exposed for the unit tests. cmp(a, b) returns <0, 0 or >0 like qsort's.
using PointCmp = int (*)(const Point&, const Point&);
void merge_sort(Point* a, size_t n, PointCmp cmp);
void partial_quicksort(Point* a, size_t n, PointCmp cmp, size_t lrange, size_t rrange);

}  // namespace dq::storage::geo
