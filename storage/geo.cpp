// geo.cpp — see geo.h.
#include "storage/geo.h"

#include <algorithm>
#include <utility>

namespace dq::storage::geo {

namespace {

// Redis's sort_gp_asc / sort_gp_desc (NaN compares as "less", as there).
int cmp_asc(const Point& a, const Point& b) {
  if (a.dist > b.dist) return 1;
  if (a.dist == b.dist) return 0;
  return -1;
}
int cmp_desc(const Point& a, const Point& b) { return -cmp_asc(a, b); }

// The members of one cell: scores [min, max).
void cell_members(const ZSetObject& z, HashBits cell, const Shape& shape, size_t limit,
                  std::vector<Point>* out) {
  double min, max;
  cell_scores(cell, &min, &max);
  size_t lo, hi;
  z.score_range(min, false, max, true, &lo, &hi);
  z.for_range_while(lo, hi, [&](std::string_view m, double score) {
    double xy[2], dist = 0;
    if (within_shape(shape, score, xy, &dist)) out->push_back(Point{xy[0], xy[1], dist, score, m});
    return !(limit && out->size() >= limit);
  });
}

void msort(Point* b, size_t n, PointCmp cmp, Point* tmp) {
  if (n <= 1) return;
  size_t n1 = n / 2, n2 = n - n1;
  Point *b1 = b, *b2 = b + n1;
  msort(b1, n1, cmp, tmp);
  msort(b2, n2, cmp, tmp);
  Point* t = tmp;
  while (n1 > 0 && n2 > 0) {
    if (cmp(*b1, *b2) <= 0) {
      *t++ = *b1++;
      --n1;
    } else {
      *t++ = *b2++;
      --n2;
    }
  }
  t = std::copy(b1, b1 + n1, t);
  std::copy(tmp, tmp + (n - n2), b);  // the rest of b2 is already in place
}

// Bentley & McIlroy's median of three, as NetBSD's qsort (and so Redis's pqsort) has it.
Point* med3(Point* a, Point* b, Point* c, PointCmp cmp) {
  return cmp(*a, *b) < 0 ? (cmp(*b, *c) < 0 ? b : (cmp(*a, *c) < 0 ? c : a))
                         : (cmp(*b, *c) > 0 ? b : (cmp(*a, *c) < 0 ? a : c));
}

void vecswap(Point* a, Point* b, ptrdiff_t n) {
  for (ptrdiff_t i = 0; i < n; ++i) std::swap(a[i], b[i]);
}

void insertion_sort(Point* a, size_t n, PointCmp cmp) {
  for (Point* pm = a + 1; pm < a + n; ++pm)
    for (Point* pl = pm; pl > a && cmp(pl[-1], *pl) > 0; --pl) std::swap(*pl, pl[-1]);
}

// Redis's _pqsort (NetBSD's qsort without its switch to insertion sort on inputs that need no
// swap, which Redis 7 dropped): sorts only as much as needed for [lrange, rrange] (element
// pointers) to hold what a full sort would put there. A part is recursed into only when it overlaps
// the range.
void pqsort(Point* a, size_t n, PointCmp cmp, const Point* lrange, const Point* rrange) {
  auto overlaps = [&](const Point* first, const Point* last) {
    return !((lrange < first && rrange < first) || (lrange > last && rrange > last));
  };
  for (;;) {
    if (n < 7) return insertion_sort(a, n, cmp);
    Point* pm = a + n / 2;
    if (n > 7) {
      Point* pl = a;
      Point* pn = a + (n - 1);
      if (n > 40) {
        size_t d = n / 8;
        pl = med3(pl, pl + d, pl + 2 * d, cmp);
        pm = med3(pm - d, pm, pm + d, cmp);
        pn = med3(pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(pl, pm, pn, cmp);
    }
    std::swap(*a, *pm);
    Point *pa = a + 1, *pb = a + 1;
    Point *pc = a + (n - 1), *pd = a + (n - 1);
    for (;;) {
      int r;
      while (pb <= pc && (r = cmp(*pb, *a)) <= 0) {
        if (r == 0) {
          std::swap(*pa, *pb);
          ++pa;
        }
        ++pb;
      }
      while (pb <= pc && (r = cmp(*pc, *a)) >= 0) {
        if (r == 0) {
          std::swap(*pc, *pd);
          --pd;
        }
        --pc;
      }
      if (pb > pc) break;
      std::swap(*pb, *pc);
      ++pb;
      --pc;
    }

    Point* pn = a + n;
    ptrdiff_t r = std::min(pa - a, pb - pa);
    vecswap(a, pb - r, r);
    r = std::min(pd - pc, pn - pd - 1);
    vecswap(pb, pn - r, r);
    if ((r = pb - pa) > 1 && overlaps(a, a + r - 1))
      pqsort(a, static_cast<size_t>(r), cmp, lrange, rrange);
    if ((r = pd - pc) > 1) {
      a = pn - r;  // iterate rather than recurse
      n = static_cast<size_t>(r);
      if (overlaps(a, a + r - 1)) continue;
    }
    return;
  }
}

}  // namespace

void search(const ZSetObject& z, const SearchArea& area, const Shape& shape, size_t limit,
            std::vector<Point>* out) {
  const Neighbors& n = area.neighbors;
  const HashBits cells[9] = {area.hash,    n.north,      n.south,      n.east,      n.west,
                             n.north_east, n.north_west, n.south_east, n.south_west};
  size_t last = 0;  // index of the cell visited last (0 = none yet besides the centre)
  for (size_t i = 0; i < 9; ++i) {
    if (cells[i].zero()) continue;
    // Huge radiuses make neighbours coincide: skip a repeat of the cell just visited.
    if (last && cells[i] == cells[last]) continue;
    if (!out->empty() && limit && out->size() >= limit) break;
    cell_members(z, cells[i], shape, limit, out);
    last = i;
  }
}

void merge_sort(Point* a, size_t n, PointCmp cmp) {
  std::vector<Point> tmp(n);
  msort(a, n, cmp, tmp.data());
}

void partial_quicksort(Point* a, size_t n, PointCmp cmp, size_t lrange, size_t rrange) {
  pqsort(a, n, cmp, a + lrange, a + rrange);
}

void sort_points(std::vector<Point>* points, Order order, size_t returned) {
  if (order == Order::None || points->empty()) return;
  PointCmp cmp = order == Order::Asc ? cmp_asc : cmp_desc;
  if (returned >= points->size())
    merge_sort(points->data(), points->size(), cmp);
  else if (returned > 0)
    partial_quicksort(points->data(), points->size(), cmp, 0, returned - 1);
}

}  // namespace dq::storage::geo
