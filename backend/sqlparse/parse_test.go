package sqlparse

import (
	"strings"
	"testing"
)

// parseCase is handwritten SQL and what reading it by eye gives, rendered
// by render (see render_test.go for the notation).
type parseCase struct {
	name    string
	dialect Dialect
	sql     string
	want    string
}

// parseCases are also FuzzParse's seeds.
var parseCases = []parseCase{
	// Tokens and quoting, per dialect.
	{"ansi quoting", ANSI,
		`select "Order ID", "a""b" as "X", 'it''s' as s, col from "db"."sch"."tbl"`, `
select
  ? <- ["Order ID"] bare
  X <- ["a"b"] bare
  s <- []
  ? <- [col] bare
  from db.sch.tbl
`},
	{"ansi dollar and escape strings", ANSI,
		`select $$it's ) a$$ as d, $fn$ don't $fn$ as t, E'x\'y' as e, col from t`, `
select
  d <- []
  t <- []
  e <- []
  ? <- [col] bare
  from t
`},
	{"comments and numbers", ANSI,
		"select a -- b, c\n, /* d, e */ f, 1.5e3 as n, .5 as h, 0x1F as x /* , g */ from t;\n-- done\n", `
select
  ? <- [a] bare
  ? <- [f] bare
  n <- []
  h <- []
  x <- []
  from t
`},
	{"unicode identifiers", ANSI,
		`select café, t.naïve_col as 名前 from t`, `
select
  ? <- [café] bare
  名前 <- [t.naïve_col] bare
  from t
`},
	{"bigquery backticks split on dots", BigQuery,
		"select `t.col`, t.`Other` from `proj.ds.tbl` t join `proj`.ds.`tbl2` u on t.id = u.id", `
select
  ? <- [t."col"] bare
  ? <- [t."Other"] bare
  from proj.ds.tbl as t
  from proj.ds.tbl2 as u
  filter [t.id u.id]
`},
	{"bigquery strings and comments", BigQuery,
		`select "str" as s, r'\d+' as r, '''it's''' as tq, """a "b" c""" as dq, b'\x00' as by, 'a\'b' as e # comment 'x
		from t`, `
select
  s <- []
  r <- []
  tq <- []
  dq <- []
  by <- []
  e <- []
  from t
`},
	{"backtick dialect", Backtick,
		"select `a.b`, \"str\" as s, 'it\\'s' as e, 1L as n from `db.tbl` # comment\n", `
select
  ? <- ["a.b"] bare
  s <- []
  e <- []
  n <- []
  from db.tbl
`},

	// Select items and aliases.
	{"aliases", ANSI,
		`select o.id as order_id, o.id order_id2, count(*) n, "a" "B", (x), ((t.y)) as y2, z as "from" from orders o`, `
select
  order_id <- [o.id] bare
  order_id2 <- [o.id] bare
  n <- []
  B <- ["a"] bare
  ? <- [x] bare
  y2 <- [t.y] bare
  from <- [z] bare
  from orders as o
`},
	{"bare only for one column", ANSI,
		`select a[0] as a0, -a as neg, a::int as ai, a + 0 as a1, 'a' as lit, f(a) as fa, a collate "C" as ac, (a) + (b) as ab from t`, `
select
  a0 <- [a]
  neg <- [a]
  ai <- [a]
  a1 <- [a]
  lit <- []
  fa <- [a]
  ac <- [a]
  ab <- [a b]
  from t
`},
	{"implicit alias after operands", ANSI,
		`select case when a then 1 end flag, cast(b as int) bi, 'x' lit, 1 one, current_date today, t.c::date order_date, d nulls from t`, `
select
  flag <- [a]
  bi <- [b]
  lit <- []
  one <- []
  today <- []
  order_date <- [t.c]
  nulls <- [d] bare
  from t
`},
	{"stars", ANSI,
		`select *, o.*, s.o.*, "q".* from s.o, q`, `
select
  *
  o.*
  s.o.*
  q.*
  from s.o
  from q
`},
	{"bigquery star except replace", BigQuery,
		`select * except (a, b) replace (c + 1 as c, upper(d) as d) from t`, `
select
  * except(a, b) replace(c <- [c], d <- [d])
  from t
`},
	{"snowflake star exclude rename", ANSI,
		`select t.* exclude a rename b as c, u.* exclude (d, e) rename (f as g, h as i), * ilike '%_id' from t, u`, `
select
  t.* except(a) rename(b as c)
  u.* except(d, e) rename(f as g, h as i)
  *
  from t
  from u
`},
	{"duckdb star exclude replace, columns()", ANSI,
		`select * exclude (a) replace (lower(b) as b), columns('x_.*') from t`, `
select
  * except(a) replace(b <- [b])
  ? <- []
  from t
`},
	{"trailing comma and select modifiers", BigQuery,
		`select as struct a, b, from t`, `
select
  ? <- [a] bare
  ? <- [b] bare
  from t
`},
	{"distinct on, top", ANSI,
		`select distinct on (a, b) a, c from t order by a, d; `, `
select
  ? <- [a] bare
  ? <- [c] bare
  from t
  filter [a b]
  filter [a]
  filter [d]
`},
	{"top", ANSI,
		`select top 10 a from t`, `
select
  ? <- [a] bare
  from t
`},
	{"keywords and strings as aliases", Backtick,
		"select a year, b first, c rows, d `select`, e as from, f value, g as 'my g' from t", `
select
  year <- [a] bare
  first <- [b] bare
  rows <- [c] bare
  select <- [d] bare
  from <- [e] bare
  value <- [f] bare
  my g <- [g] bare
  from t
`},
	{"leading comments and several semicolons", ANSI,
		"-- header\n/* block; */ select 1 as x;; -- trailer\n", `
select
  x <- []
`},
	{"select into", ANSI,
		`select a into temp t2 from t`, `
select
  ? <- [a] bare
  from t
`},

	// What in an expression is not a column.
	{"function names", BigQuery,
		`select coalesce(a, b) as c, SAFE.PARSE_DATE('%Y', d) as e, my_db.my_schema.udf(f) as g, left(h, 2) as l, ` + "`proj.ds.fn`(i) as u from t", `
select
  c <- [a b]
  e <- [d]
  g <- [f]
  l <- [h]
  u <- [i]
  from t
`},
	{"operator keywords", ANSI,
		`select case when a is null then b when c between d and e then f else g end as h,
		  i is not distinct from j as k, l not like 'x%' escape '!' as m, n ilike any ('a', 'b') as o,
		  p similar to 'q' as r, s is true or not u as v, w in (x, 1) as y, z rlike 'a' as za from t`, `
select
  h <- [a b c d e f g]
  k <- [i j]
  m <- [l]
  o <- [n]
  r <- [p]
  v <- [s u]
  y <- [w x]
  za <- [z]
  from t
`},
	{"windows", ANSI,
		`select row_number() over (partition by a order by b desc nulls last rows between unbounded preceding and current row) as rn,
		  sum(x) over w as s, first_value(y ignore nulls) over (w order by z range between interval '1' day preceding and current row) as f,
		  lag(c, 1) respect nulls over (order by d) as l
		from t window w as (partition by k)`, `
select
  rn <- [a b]
  s <- [x]
  f <- [y z]
  l <- [c d]
  from t
  filter [k]
`},
	{"filter and within group", ANSI,
		`select count(*) filter (where a > 0) as n, listagg(b, ',') within group (order by c) as l,
		  percentile_cont(0.5) within group (order by d) as p, array_agg(e order by f limit 1) as g,
		  string_agg(distinct h, ',' order by i) as j, group_concat(k separator ',') as m from t`, `
select
  n <- [a]
  l <- [b c]
  p <- [d]
  g <- [e f]
  j <- [h i]
  m <- [k]
  from t
`},
	{"niladic keywords", ANSI,
		`select current_date as d, current_timestamp() as ts, user as u, sysdate as s, localtimestamp as l, current_schema as cs, session_user su from t`, `
select
  d <- []
  ts <- []
  u <- []
  s <- []
  l <- []
  cs <- []
  su <- []
  from t
`},
	{"casts and types", ANSI,
		`select a::numeric(16, 2) as x, b::timestamp with time zone as y, c::varchar[] as z, cast(d as double precision) as w,
		  try_cast(e as int) as v, f::"char" as u, g::pg_catalog.int4 as q, h::character varying(10) hv from t`, `
select
  x <- [a]
  y <- [b]
  z <- [c]
  w <- [d]
  v <- [e]
  u <- [f]
  q <- [g]
  hv <- [h]
  from t
`},
	{"bigquery types and typed literals", BigQuery,
		`select cast(a as ARRAY<STRUCT<x INT64, y STRING>>) as b, STRUCT<a INT64, b STRING>(c, 'x') as s, ARRAY<INT64>[d, 1] as arr,
		  date '2020-01-01' as dt, timestamp '2020-01-01 00:00:00' as ts, safe_cast(e as INT64) as f, cast(g as string format 'YYYY') as h,
		  struct(i as x, j) as st, [k, 2] as lst, array(select l from u) as al from t`, `
select
  b <- [a]
  s <- [c]
  arr <- [d]
  dt <- []
  ts <- []
  f <- [e]
  h <- [g]
  st <- [i j]
  lst <- [k]
  al <- [] +1 subquery
    select
      ? <- [l] bare
      from u
  from t
`},
	{"intervals", BigQuery,
		`select a + interval '1 day' as x, b - interval '1' day as y, date_add(c, interval 3 day) as z,
		  date_add(d, interval n day) as w, interval '1' day to second as v, timestamp_sub(e, interval (f * 2) hour) as u from t`, `
select
  x <- [a]
  y <- [b]
  z <- [c]
  w <- [d n]
  v <- []
  u <- [e f]
  from t
`},
	{"extract, trim, substring, position, overlay", ANSI,
		`select extract(year from a) as y, extract(epoch from b - c) as e, trim(both 'x' from d) as t, trim(leading from d2) as t2,
		  substring(f from 1 for 2) as s, position('a' in g) as p, overlay(h placing i from 2 for 1) as o from t`, `
select
  y <- [a]
  e <- [b c]
  t <- [d]
  t2 <- [d2]
  s <- [f]
  p <- [g]
  o <- [h i]
  from t
`},
	{"bigquery extract with week(monday)", BigQuery,
		`select extract(week(monday) from a) as w, extract(date from b at time zone 'UTC') as d from t`, `
select
  w <- [a]
  d <- [b]
  from t
`},
	{"date parts", ANSI,
		`select datediff(day, a, b) as x, dateadd(month, 1, c) as y, date_trunc('month', d) as z, date_trunc(e, MONTH) as w,
		  date_diff(f, g, DAY) as v, timestamp_trunc(h, WEEK(MONDAY)) as u, date_part(dow, i) as q, last_day(j, month) as l,
		  datediff(days, k, month_col) as m, timestampdiff(SECOND, n, o) as so from t`, `
select
  x <- [a b]
  y <- [c]
  z <- [d]
  w <- [e]
  v <- [f g]
  u <- [h]
  q <- [i]
  l <- [j]
  m <- [k month_col]
  so <- [n o]
  from t
`},
	{"named arguments", ANSI,
		`select f(input => a, mode => 'x') as x, g(p := b) as y, object_construct('k', c) as z from t`, `
select
  x <- [a]
  y <- [b]
  z <- [c]
  from t
`},
	{"snowflake semi-structured paths", ANSI,
		`select value:customer.id::string as cid, src:"Items"[0].name as n, parse_json(j):a.b as ab, t.v:x[k] as tx,
		  f.value:"Amount"::number(10, 2) amount from t, lateral flatten(input => t.items) f`, `
select
  cid <- [value]
  n <- [src]
  ab <- [j]
  tx <- [t.v k]
  amount <- [f.value]
  from t
  from flatten() [t.items] as f
`},
	{"postgres json operators", ANSI,
		`select data->>'name' as name, data->'a'->>'b' as b, data #>> '{a,b}' as c, (data->'x')::int as d from t`, `
select
  name <- [data]
  b <- [data]
  c <- [data]
  d <- [data]
  from t
`},
	{"subscripts", BigQuery,
		`select a[0] as x, b[offset(1)] as y, c['k'] as z, d[e] as w, arr[safe_ordinal(2)].name as n, s.f[0].g as sg from t`, `
select
  x <- [a]
  y <- [b]
  z <- [c]
  w <- [d e]
  n <- [arr]
  sg <- [s.f]
  from t
`},
	{"postgres slices", ANSI,
		`select a[1:n] as x, (b).field as y, f(c).g as z from t`, `
select
  x <- [a n]
  y <- [b]
  z <- [c]
  from t
`},
	{"lambdas", ANSI,
		`select transform(arr, x -> x + k) as a, filter(arr2, (x, i) -> x > i and x < lim) as b, list_transform(l, lambda y: y * m) as c,
		  reduce(vals, 0, (acc, v) -> acc + v.amount) as d from t`, `
select
  a <- [arr k]
  b <- [arr2 lim]
  c <- [l m]
  d <- [vals]
  from t
`},
	{"subqueries in expressions", ANSI,
		`select (select max(x) from u) as m, a in (select b from v) as f, exists (select 1 from w where w.id = t.id) as e,
		  coalesce((select c from z limit 1), d) as g from t where t.k not in (select k from bad)`, `
select
  m <- [] +1 subquery
    select
      ? <- [x]
      from u
  f <- [a] +1 subquery
    select
      ? <- [b] bare
      from v
  e <- [] +1 subquery
    select
      ? <- []
      from w
      filter [w.id t.id]
  g <- [d] +1 subquery
    select
      ? <- [c] bare
      from z
  from t
  filter [t.k] +1 subquery
    select
      ? <- [k] bare
      from bad
`},
	{"struct and map literals", ANSI,
		`select {'a': x, 'b': 1} as s, {c: y} as s2, map {'k': z} as m, [u, v] as l, array[w] as arr from t`, `
select
  s <- [x]
  s2 <- [y]
  m <- [z]
  l <- [u v]
  arr <- [w]
  from t
`},
	{"at time zone and collate", ANSI,
		`select a at time zone 'UTC' as x, b at time zone tz as y, c collate "de_DE" as z, d collate pg_catalog."default" as w from t`, `
select
  x <- [a]
  y <- [b tz]
  z <- [c]
  w <- [d]
  from t
`},
	{"keywords as column names", ANSI,
		`select t.date, t.from, first, last, rows, value, zone, name, year, month from t`, `
select
  ? <- [t.date] bare
  ? <- [t.from] bare
  ? <- [first] bare
  ? <- [last] bare
  ? <- [rows] bare
  ? <- [value] bare
  ? <- [zone] bare
  ? <- [name] bare
  ? <- [year] bare
  ? <- [month] bare
  from t
`},
	{"more predicates", ANSI,
		`select a is unknown as x, b not between c and d as y, e isnull as z, f notnull g, h <> all (select i from u) as j from t`, `
select
  x <- [a]
  y <- [b c d]
  z <- [e]
  g <- [f]
  j <- [h] +1 subquery
    select
      ? <- [i] bare
      from u
  from t
`},
	{"snowflake positional columns", ANSI,
		`select $1 as a, $2:b::string as b from values (1, parse_json('{}'))`, `
select
  a <- []
  b <- []
  from (subquery)
    select
      ? <- []
      ? <- []
`},
	{"named windows", BigQuery,
		`select sum(a) over (w) as s, avg(b) over (w rows 3 preceding) as v from t window w as (partition by c order by d)`, `
select
  s <- [a]
  v <- [b]
  from t
  filter [c d]
`},
	{"convert and qualified stars as arguments", ANSI,
		`select convert(varchar(20), a) as x, convert(b, 'UTF8', 'LATIN1') as y, count(t.*) as n, to_json(u.*) as j,
		  cast(c as decimal(10, 2) format '999') as z from t`, `
select
  x <- [a]
  y <- [b]
  n <- []
  j <- []
  z <- [c]
  from t
`},

	// FROM.
	{"relations and joins", ANSI,
		`select 1 from a.b.c as x, "d"."e" y join f using (k1, k2) left outer join g on g.id = x.id
		  cross join h natural join i full join j on true inner join db.s.k kk on kk.a = j.a and kk.b > 0`, `
select
  ? <- []
  from a.b.c as x
  from d.e as y
  from f using(k1, k2)
  from g
  from h
  from i
  from j
  from db.s.k as kk
  filter [g.id x.id]
  filter [kk.a j.a kk.b]
`},
	{"duckdb file as a relation", ANSI,
		`select a from 'data/orders.csv' o join read_parquet('x.parquet') p on o.id = p.id`, `
select
  ? <- [a] bare
  from data/orders.csv as o
  from read_parquet() [] as p
  filter [o.id p.id]
`},
	{"four-part names", ANSI,
		`select 1 from catalog.db.schema.tbl`, `
select
  ? <- []
  from catalog.db.schema.tbl
`},
	{"derived tables and parenthesised joins", ANSI,
		`select s.c1 from (select a from t) as s (c1) join ((select b from u) uu join v on v.id = uu.b) on true`, `
select
  ? <- [s.c1] bare
  from (subquery) as s(c1)
    select
      ? <- [a] bare
      from t
  from (subquery) as uu
    select
      ? <- [b] bare
      from u
  from v
  filter [v.id uu.b]
`},
	{"bigquery unnest", BigQuery,
		`select e, pos, x from t, unnest(t.arr) as e with offset as pos cross join unnest(t.b) x left join unnest([1, 2]) with offset`, `
select
  ? <- [e] bare
  ? <- [pos] bare
  ? <- [x] bare
  from t
  from unnest() [t.arr] as e offset pos
  from unnest() [t.b] as x
  from unnest() [] offset offset
`},
	{"snowflake flatten and table()", ANSI,
		`select f.value from t, lateral flatten(input => t.col, outer => true) f, table(flatten(input => t.c2)) g, table(generator(rowcount => 10))`, `
select
  ? <- [f.value] bare
  from t
  from flatten() [t.col] as f
  from flatten() [t.c2] as g
  from generator() []
`},
	{"postgres table functions", ANSI,
		`select g.i from generate_series(1, t.n) as g(i) cross join lateral jsonb_array_elements(t.j) with ordinality as e(v, n), t`, `
select
  ? <- [g.i] bare
  from generate_series() [t.n] as g(i)
  from jsonb_array_elements() [t.j] as e(v, n)
  from t
`},
	{"spark lateral view", Backtick,
		`select t.id, item from t lateral view explode(t.items) ex as item lateral view outer posexplode(t.m) p as pos, val where item > 0`, `
select
  ? <- [t.id] bare
  ? <- [item] bare
  from t
  from explode() [t.items] as ex(item)
  from posexplode() [t.m] as p(pos, val)
  filter [item]
`},
	{"apply and lateral joins", ANSI,
		`select 1 from t cross apply f(t.x) as a outer apply g(t.y) b join lateral (select c from u where u.id = t.id) l on true
		  asof join q on q.ts <= t.ts left semi join s on s.id = t.id anti join z using (id) positional join p`, `
select
  ? <- []
  from t
  from f() [t.x] as a
  from g() [t.y] as b
  from (subquery) as l
    select
      ? <- [c] bare
      from u
      filter [u.id t.id]
  from q
  from s
  from z using(id)
  from p
  filter [q.ts t.ts]
  filter [s.id t.id]
`},
	// The alias after PIVOT names the pivoted relation: it replaces vv.
	{"time travel, sampling, pivot", BigQuery,
		`select 1 from t for system_time as of timestamp_sub(current_timestamp(), interval 1 hour) as x
		  join u tablesample system (10 percent) on true join v as vv pivot(sum(a) for b in ('x', 'y')) as p on true`, `
select
  ? <- []
  from t as x
  from u
  from v as p pivot [a b] -> x, y
`},
	// Snowflake's PIVOT, as tuva writes it: the new columns are the IN
	// list's values (an alias replaces one); ANY or a subquery names none.
	{"pivot", ANSI,
		`select patient_id, asthma, copd from conditions
		  pivot (sum(condition_count) for condition_column_name in ('asthma', 'chronic_obstructive' as copd, 3)) as p
		  join t pivot (max(x), min("y") for k in (any order by k)) on true`, `
select
  ? <- [patient_id] bare
  ? <- [asthma] bare
  ? <- [copd] bare
  from conditions as p pivot [condition_count condition_column_name] -> asthma, copd, 3
  from t pivot [x "y" k k] -> 
`},
	{"databricks time travel and unpivot", Backtick,
		`select 1 from t timestamp as of '2020-01-01' x, u version as of 3, v unpivot include nulls (val for k in (a, b)) as w`, `
select
  ? <- []
  from t as x
  from u
  from v as w unpivot val, k <- [a b]
`},
	// The labels after AS are not columns; several value columns are read
	// as their first.
	{"unpivot with labels", ANSI,
		`select id, month, amount from sales unpivot (amount for month in (jan as 'January', feb as february))
		  join t unpivot exclude nulls ((v1, v2) for k in ((a, b) as 'x', (c, d))) on true`, `
select
  ? <- [id] bare
  ? <- [month] bare
  ? <- [amount] bare
  from sales unpivot amount, month <- [jan feb]
  from t unpivot v1, k <- [a b c d]
`},
	{"snowflake time travel and sample", ANSI,
		`select 1 from t at(offset => -60) x, u before(statement => 'abc') sample (10), w sample bernoulli (5) seed (3) ww, sample`, `
select
  ? <- []
  from t as x
  from u
  from w as ww
  from sample
`},
	{"values in from", ANSI,
		`select v.id from (values (1, 'a'), (2, 'b')) as v(id, name), values (3), (4) as w(x)`, `
select
  ? <- [v.id] bare
  from (subquery) as v(id, name)
    select
      ? <- []
      ? <- []
  from (subquery) as w(x)
    select
      ? <- []
`},
	{"snowflake join lateral flatten", ANSI,
		`select f.value:id::int as id from t left join lateral flatten(input => t.arr, outer => true) f on true`, `
select
  id <- [f.value]
  from t
  from flatten() [t.arr] as f
`},
	{"duckdb sampling and positional join", ANSI,
		`select a from t using sample 10% join u using sample reservoir(50 rows) repeatable (1) on t.id = u.id`, `
select
  ? <- [a] bare
  from t
  from u
  filter [t.id u.id]
`},

	// Clauses outside the select list.
	{"clauses", ANSI,
		`select a from t where b > 1 group by a, 2 having count(c) > 0
		  qualify row_number() over (partition by d order by e) = 1 order by f desc nulls first limit 10 offset 5`, `
select
  ? <- [a] bare
  from t
  filter [b]
  filter [a]
  filter [c]
  filter [d e]
  filter [f]
`},
	{"group by forms", ANSI,
		`select 1 from t group by all; `, `
select
  ? <- []
  from t
`},
	{"group by rollup, grouping sets", ANSI,
		`select 1 from t group by rollup (a, b), cube (c), grouping sets ((d), ()), 1`, `
select
  ? <- []
  from t
  filter [a b]
  filter [c]
  filter [d]
`},
	{"mysql with rollup, top with ties", ANSI,
		`select top (10) percent with ties a, count(*) from t group by a with rollup`, `
select
  ? <- [a] bare
  ? <- []
  from t
  filter [a]
`},
	{"fetch first", ANSI,
		`select a from t order by a offset 2 rows fetch first 3 rows only`, `
select
  ? <- [a] bare
  from t
  filter [a]
`},
	{"spark cluster by", Backtick,
		`select a, b from t cluster by a, b`, `
select
  ? <- [a] bare
  ? <- [b] bare
  from t
  filter [a]
  filter [b]
`},

	// Queries: CTEs, set operations, VALUES.
	{"ctes", ANSI,
		`with recursive a (x, y) as (select 1, 2), b as not materialized (select * from a), "C" as materialized (select x from b)
		select * from "C"`, `
with a(x, y)
  select
    ? <- []
    ? <- []
with b
  select
    *
    from a
with C
  select
    ? <- [x] bare
    from b
select
  *
  from C
`},
	{"nested with stays in its cte", ANSI,
		`with a as (with b as (select 1 as one) select one from b) select one from a`, `
with a
  with b
    select
      one <- []
  select
    ? <- [one] bare
    from b
select
  ? <- [one] bare
  from a
`},
	{"set operations", ANSI,
		`select a from t union all select b from u intersect select c from v except select d from w
		 minus select e from x union distinct select f from y union all by name select g from z`, `
select
  ? <- [a] bare
  from t
select
  ? <- [b] bare
  from u
select
  ? <- [c] bare
  from v
select
  ? <- [d] bare
  from w
select
  ? <- [e] bare
  from x
select
  ? <- [f] bare
  from y
select
  ? <- [g] bare
  from z
`},
	{"parenthesised branches flatten", ANSI,
		`(with c as (select 1 as a) select a from c) union all ((select b from u) union (select c from v order by c limit 1)) order by 1`, `
with c
  select
    a <- []
select
  ? <- [a] bare
  from c
select
  ? <- [b] bare
  from u
select
  ? <- [c] bare
  from v
  filter [c]
`},
	{"order by after a union goes to the last branch", BigQuery,
		`select a from t union all select b from u order by a desc limit 3`, `
select
  ? <- [a] bare
  from t
select
  ? <- [b] bare
  from u
  filter [a]
`},
	{"values query", ANSI,
		`values (1, 'a'), (2, 'b')`, `
select
  ? <- []
  ? <- []
`},
	{"duckdb from-first", ANSI,
		`from t`, `
select
  *
  from t
`},
	{"duckdb from-first with select", ANSI,
		`from t select a where b`, `
select
  ? <- [a] bare
  from t
  filter [b]
`},
	{"duckdb from-first with distinct", ANSI,
		`from t join u using (id) select distinct a, u.b`, `
select
  ? <- [a] bare
  ? <- [u.b] bare
  from t
  from u using(id)
`},
	{"subquery with set operation in from", ANSI,
		`select * from ((select a from t) union all (select b from u)) as s`, `
select
  *
  from (subquery) as s
    select
      ? <- [a] bare
      from t
    select
      ? <- [b] bare
      from u
`},
	{"set operation subquery in an expression", ANSI,
		`select x in ((select a from t) union (select b from u)) as f, ((select c from v)) + 1 as g from w`, `
select
  f <- [x] +1 subquery
    select
      ? <- [a] bare
      from t
    select
      ? <- [b] bare
      from u
  g <- [] +1 subquery
    select
      ? <- [c] bare
      from v
  from w
`},
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			q, err := Parse(c.sql, c.dialect)
			if err != nil {
				t.Fatalf("Parse(%s): %v", c.dialect, err)
			}
			got, want := render(q), strings.TrimPrefix(c.want, "\n")
			if got != want {
				t.Errorf("Parse(%s)\n%s\ngot:\n%s\nwant:\n%s", c.dialect, c.sql, got, want)
			}
		})
	}
}

func TestDialectOf(t *testing.T) {
	for adapter, want := range map[string]Dialect{
		"bigquery": BigQuery, "databricks": Backtick, "spark": Backtick, "mysql": Backtick, "hive": Backtick,
		"snowflake": ANSI, "postgres": ANSI, "redshift": ANSI, "duckdb": ANSI, "trino": ANSI, "": ANSI, "BigQuery": BigQuery,
	} {
		if got := DialectOf(adapter); got != want {
			t.Errorf("DialectOf(%q) = %v, want %v", adapter, got, want)
		}
	}
	if got := ANSI.String() + BigQuery.String() + Backtick.String(); got != "ansibigquerybacktick" {
		t.Errorf("dialect names %q", got)
	}
}

// TestItemText checks the text kept for showing how a column is computed:
// as written, with comments removed and blanks collapsed.
func TestItemText(t *testing.T) {
	q, err := Parse("select  a   +  b /* plus */ as  x,\n\tcoalesce( c ,'  two  spaces  ' ) -- why\n  as y, t.*  except (z) from t", BigQuery)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range q.Selects[0].Items {
		got = append(got, it.Text)
	}
	want := []string{"a + b as x", "coalesce( c ,'  two  spaces  ' ) as y", "t.* except (z)"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("texts %q, want %q", got, want)
	}
}

// TestQuotedRefs checks ColumnRef.Quoted and the parts of quoted names.
func TestQuotedRefs(t *testing.T) {
	q, err := Parse(`select "T"."Col", t."x.y", lower from t`, ANSI)
	if err != nil {
		t.Fatal(err)
	}
	items := q.Selects[0].Items
	for i, want := range []ColumnRef{
		{Parts: []string{"T", "Col"}, Quoted: true},
		{Parts: []string{"t", "x.y"}, Quoted: true},
		{Parts: []string{"lower"}},
	} {
		got := items[i].Expr.Refs[0]
		if strings.Join(got.Parts, "|") != strings.Join(want.Parts, "|") || got.Quoted != want.Quoted {
			t.Errorf("item %d: ref %+v, want %+v", i, got, want)
		}
	}
}
