# Writes two small downstream dbt projects of bouncer (dbt 1.12 shape, manifest v12) that
# read bouncer's public models across projects, as dbt writes cross-project refs.
import json, hashlib, os, sys
OUT = sys.argv[1]
UP = 'dbt_bouncer_test_project'

def sha(s): return hashlib.sha256(s.encode()).hexdigest()

def model_config(materialized, access='protected', schema=None, tags=None):
    return {"enabled": True, "alias": None, "schema": schema, "database": None, "tags": tags or [], "meta": {},
            "group": None, "static_analysis": None, "materialized": materialized, "incremental_strategy": None,
            "batch_size": None, "lookback": 1, "begin": None, "persist_docs": {}, "post-hook": [], "pre-hook": [],
            "quoting": {}, "column_types": {}, "full_refresh": None, "unique_key": None, "on_schema_change": "ignore",
            "on_configuration_change": "apply", "grants": {}, "packages": [], "docs": {"show": True, "node_color": None},
            "contract": {"enforced": False, "alias_types": True}, "event_time": None, "concurrent_batches": None,
            "access": access, "freshness": None, "on_error": None, "latest_version_pointer": {"enabled": None, "alias": None}}

def column(name, desc, dtype=None):
    return {"name": name, "description": desc, "meta": {}, "data_type": dtype, "constraints": [], "quote": None,
            "config": {"meta": {}, "tags": []}, "tags": [], "granularity": None, "dimension": None, "entity": None, "doc_blocks": []}

def model(project, db, schema_suffix, name, folder, raw, compiled, deps, refs, sources=(), desc="", cols=(), access='protected', materialized='table', tags=()):
    uid = f"model.{project}.{name}"
    schema = f"main_{schema_suffix}"
    return uid, {
        "database": db, "schema": schema, "name": name, "resource_type": "model", "package_name": project,
        "path": f"{folder}/{name}.sql", "original_file_path": f"models/{folder}/{name}.sql", "unique_id": uid,
        "fqn": [project] + folder.split('/') + [name], "alias": name,
        "checksum": {"name": "sha256", "checksum": sha(raw)},
        "config": model_config(materialized, access, schema_suffix, list(tags)), "tags": list(tags), "description": desc,
        "columns": {c[0]: column(*c) for c in cols}, "meta": {}, "group": None,
        "docs": {"show": True, "node_color": None},
        "patch_path": f"{project}://models/{folder}/_{folder.split('/')[-1]}__models.yml" if desc else None,
        "build_path": None,
        "unrendered_config": {"materialized": materialized, "schema": schema_suffix, **({"access": access} if access != 'protected' else {})},
        "created_at": 1787233600.0, "relation_name": f'"{db}"."{schema}"."{name}"',
        "raw_code": raw, "doc_blocks": [], "language": "sql",
        "refs": [{"name": r[0], "package": r[1], "version": r[2]} for r in refs],
        "sources": [list(s) for s in sources], "metrics": [], "functions": [],
        "depends_on": {"macros": [], "nodes": deps},
        "compiled_path": f"./target/compiled/{project}/models/{folder}/{name}.sql", "compiled": True,
        "compiled_code": compiled, "extra_ctes_injected": True, "extra_ctes": [],
        "contract": {"enforced": False, "alias_types": True, "checksum": None}, "access": access, "constraints": [],
        "version": None, "latest_version": None, "deprecation_date": None, "primary_key": [], "time_spine": None,
    }

def external(project, name, db, schema, alias, deps, version=None, latest=None):
    # The node dbt adds for a public model of another project (a cross-project
    # ref): no file, no code, no columns; the upstream project's relation and
    # dependencies.
    uid = f"model.{project}.{name}" + (f".v{version}" if version is not None else "")
    return uid, {
        "access": "public", "alias": alias, "build_path": None,
        "checksum": {"checksum": sha(uid), "name": "sha256"}, "columns": {}, "compiled_path": None,
        "config": model_config("view"), "constraints": [],
        "contract": {"alias_types": True, "checksum": None, "enforced": False}, "created_at": 1787233600.0,
        "database": db, "depends_on": {"macros": [], "nodes": deps}, "deprecation_date": None, "description": "",
        "docs": {"node_color": None, "show": True}, "fqn": [project, name] + ([f"v{version}"] if version is not None else []),
        "group": None, "language": "sql", "latest_version": latest, "meta": {}, "metrics": [], "name": name,
        "original_file_path": "", "package_name": project, "patch_path": None, "path": "", "primary_key": [],
        "raw_code": "", "refs": [], "relation_name": f'"{db}"."{schema}"."{alias}"', "resource_type": "model",
        "schema": schema, "sources": [], "tags": [], "time_spine": None, "unique_id": uid,
        "unrendered_config": {"alias": alias, "database": db, "schema": schema}, "version": version,
    }

def test(project, name, attached, column_name, deps, kwargs_model, test_name):
    uid = f"test.{project}.{name}.{sha(name)[:10]}"
    return uid, {
        "database": "dbt", "schema": "main_dbt_test__audit", "name": name, "resource_type": "test", "package_name": project,
        "path": f"{name}.sql", "original_file_path": "models/_models.yml", "unique_id": uid, "fqn": [project, name],
        "alias": name, "checksum": {"name": "none", "checksum": ""},
        "config": {"enabled": True, "alias": None, "schema": "dbt_test__audit", "database": None, "tags": [], "meta": {},
                   "group": None, "static_analysis": None, "materialized": "test", "severity": "ERROR", "store_failures": None,
                   "store_failures_as": None, "sql_header": None, "where": None, "limit": None, "fail_calc": "count(*)",
                   "warn_if": "!= 0", "error_if": "!= 0"},
        "tags": [], "description": "", "columns": {}, "meta": {}, "group": None, "docs": {"show": True, "node_color": None},
        "patch_path": None, "build_path": None, "unrendered_config": {}, "created_at": 1787233600.0, "relation_name": None,
        "raw_code": "{{ test_%s(**_dbt_generic_test_kwargs) }}" % test_name, "doc_blocks": [], "language": "sql",
        "refs": [{"name": kwargs_model, "package": None, "version": None}], "sources": [], "metrics": [], "functions": [],
        "depends_on": {"macros": [f"macro.dbt.test_{test_name}"], "nodes": deps}, "compiled_path": None,
        "contract": {"enforced": False, "alias_types": True, "checksum": None},
        "column_name": column_name, "file_key_name": f"models.{kwargs_model}", "attached_node": attached,
        "test_metadata": {"name": test_name, "kwargs": {"column_name": column_name, "model": "{{ get_where_subquery(ref('%s')) }}" % kwargs_model}, "namespace": None},
    }

def source(project, src, name, db, schema, desc):
    uid = f"source.{project}.{src}.{name}"
    return uid, {
        "database": db, "schema": schema, "name": name, "resource_type": "source", "package_name": project,
        "path": "models/staging/_sources.yml", "original_file_path": "models/staging/_sources.yml", "unique_id": uid,
        "fqn": [project, "staging", src, name], "source_name": src, "source_description": "", "loader": "",
        "identifier": name, "quoting": {"database": None, "schema": None, "identifier": None, "column": None},
        "loaded_at_field": None, "loaded_at_query": None,
        "freshness": {"warn_after": {"count": None, "period": None}, "error_after": {"count": None, "period": None}, "filter": None},
        "external": None, "description": desc, "columns": {}, "meta": {}, "source_meta": {}, "tags": [],
        "config": {"enabled": True, "event_time": None, "freshness": None, "loaded_at_field": None, "loaded_at_query": None, "meta": {}, "tags": [], "static_analysis": None},
        "patch_path": None, "unrendered_config": {}, "relation_name": f'"{db}"."{schema}"."{name}"', "created_at": 1787233600.0,
        "unrendered_database": None, "unrendered_schema": None, "doc_blocks": [],
    }

def exposure(project, name, deps, refs, desc, owner):
    uid = f"exposure.{project}.{name}"
    return uid, {"name": name, "resource_type": "exposure", "package_name": project, "path": "_exposures.yml",
        "original_file_path": "models/_exposures.yml", "unique_id": uid, "fqn": [project, name], "type": "dashboard",
        "owner": owner, "description": desc, "label": None, "maturity": "medium", "meta": {}, "tags": [],
        "config": {"enabled": True, "tags": [], "meta": {}}, "unrendered_config": {}, "url": None,
        "depends_on": {"macros": [], "nodes": deps}, "refs": [{"name": r, "package": None, "version": None} for r in refs],
        "sources": [], "metrics": [], "created_at": 1787233600.0}

def manifest(project, nodes, sources, exposures, generated_at, invocation):
    parent = {}
    for uid, n in list(nodes.items()) + list(exposures.items()):
        parent[uid] = sorted(n["depends_on"]["nodes"])
    for uid in sources: parent[uid] = []
    child = {}
    for uid, ps in parent.items():
        child.setdefault(uid, [])
        for p in ps: child.setdefault(p, []).append(uid)
    for k in child: child[k].sort()
    return {
        "metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json", "dbt_version": "1.12.2",
                     "generated_at": generated_at, "invocation_id": invocation, "invocation_started_at": generated_at,
                     "env": {}, "project_name": project, "project_id": sha(project)[:32], "user_id": None,
                     "send_anonymous_usage_stats": False, "adapter_type": "duckdb",
                     "quoting": {"database": True, "schema": True, "identifier": True, "column": None},
                     "run_started_at": generated_at},
        "nodes": nodes, "sources": sources, "macros": {}, "docs": {}, "exposures": exposures, "metrics": {},
        "groups": {}, "selectors": {}, "disabled": {}, "parent_map": parent, "child_map": child, "group_map": {},
        "saved_queries": {}, "semantic_models": {}, "unit_tests": {}, "functions": {},
    }

FIN = 'bouncer_finance'
nodes, sources, exposures = {}, {}, {}
u, n = external(UP, 'orders', 'dbt', 'main_marts', 'orders', [f"model.{UP}.stg_orders", f"model.{UP}.stg_payments"]); nodes[u] = n
u, n = external(UP, 'customers', 'dbt', 'main_marts', 'customers_v3', [f"model.{UP}.stg_customers", f"model.{UP}.stg_orders", f"model.{UP}.stg_payments"], version=3, latest=3); nodes[u] = n
u, n = source(FIN, 'billing', 'invoices', 'dbt', 'billing', 'Invoices as the billing system exports them, one row per invoice.'); sources[u] = n
u, n = model(FIN, 'dbt', 'staging', 'stg_invoices', 'staging',
    "select invoice_id, order_id, amount_cents / 100.0 as amount, issued_at\nfrom {{ source('billing', 'invoices') }}",
    'select invoice_id, order_id, amount_cents / 100.0 as amount, issued_at\nfrom "dbt"."billing"."invoices"',
    [f"source.{FIN}.billing.invoices"], [], sources=[("billing", "invoices")], desc="Invoices, amounts in dollars.",
    cols=[("invoice_id", "One row per invoice."), ("order_id", "The order invoiced."), ("amount", "Invoiced amount in dollars."), ("issued_at", "When the invoice was issued.")], materialized='view')
nodes[u] = n
u, n = model(FIN, 'dbt', 'finance', 'fct_revenue', 'marts',
    "select o.order_id_pk as order_id, o.customer_id_fk as customer_id, o.amount as order_amount, i.amount as invoiced_amount\nfrom {{ ref('dbt_bouncer_test_project', 'orders') }} as o\nleft join {{ ref('stg_invoices') }} as i on i.order_id = o.order_id_pk",
    'select o.order_id_pk as order_id, o.customer_id_fk as customer_id, o.amount as order_amount, i.amount as invoiced_amount\nfrom "dbt"."main_marts"."orders" as o\nleft join "dbt"."main_staging"."stg_invoices" as i on i.order_id = o.order_id_pk',
    [f"model.{UP}.orders", f"model.{FIN}.stg_invoices"], [("orders", UP, None), ("stg_invoices", None, None)],
    desc="Revenue per order: what bouncer's orders say against what was invoiced.",
    cols=[("order_id", "The order."), ("customer_id", "Who ordered."), ("order_amount", "The order's amount in bouncer."), ("invoiced_amount", "What billing invoiced for it.")])
nodes[u] = n
u, n = model(FIN, 'dbt', 'finance', 'dim_customer_value', 'marts',
    "select c.customer_id_pk as customer_id, c.first_name, sum(r.invoiced_amount) as invoiced_total\nfrom {{ ref('dbt_bouncer_test_project', 'customers', v=3) }} as c\nleft join {{ ref('fct_revenue') }} as r on r.customer_id = c.customer_id_pk\ngroup by 1, 2",
    'select c.customer_id_pk as customer_id, c.first_name, sum(r.invoiced_amount) as invoiced_total\nfrom "dbt"."main_marts"."customers_v3" as c\nleft join "dbt"."main_finance"."fct_revenue" as r on r.customer_id = c.customer_id_pk\ngroup by 1, 2',
    [f"model.{UP}.customers.v3", f"model.{FIN}.fct_revenue"], [("customers", UP, "3"), ("fct_revenue", None, None)],
    desc="Each customer's invoiced total.", access='public',
    cols=[("customer_id", "The customer."), ("first_name", "Their first name."), ("invoiced_total", "All they were invoiced, in dollars.")])
nodes[u] = n
u, n = test(FIN, 'not_null_fct_revenue_order_id', f"model.{FIN}.fct_revenue", "order_id", [f"model.{FIN}.fct_revenue"], 'fct_revenue', 'not_null'); nodes[u] = n
u, n = test(FIN, 'unique_dim_customer_value_customer_id', f"model.{FIN}.dim_customer_value", "customer_id", [f"model.{FIN}.dim_customer_value"], 'dim_customer_value', 'unique'); nodes[u] = n
u, n = exposure(FIN, 'revenue_review', [f"model.{FIN}.fct_revenue"], ["fct_revenue"], "The monthly revenue review.", {"name": "Finance", "email": "finance@example.com"}); exposures[u] = n
os.makedirs(f"{OUT}/{FIN}", exist_ok=True)
json.dump(manifest(FIN, nodes, sources, exposures, "2026-08-20T14:05:00.000000Z", "6f1c2a40-2f4e-4a7e-9a55-0b3d7e1f0a01"), open(f"{OUT}/{FIN}/manifest.json", "w"), indent=2, sort_keys=True)

REP = 'bouncer_reporting'
nodes, sources, exposures = {}, {}, {}
u, n = external(FIN, 'dim_customer_value', 'dbt', 'main_finance', 'dim_customer_value', [f"model.{UP}.customers.v3", f"model.{FIN}.fct_revenue"]); nodes[u] = n
u, n = external('bouncer_marketing', 'campaign_touches', 'dbt', 'main_marketing', 'campaign_touches', []); nodes[u] = n
u, n = model(REP, 'dbt', 'reporting', 'rpt_top_customers', 'reporting',
    "select v.customer_id, v.first_name, v.invoiced_total, count(t.touch_id) as touches\nfrom {{ ref('bouncer_finance', 'dim_customer_value') }} as v\nleft join {{ ref('bouncer_marketing', 'campaign_touches') }} as t using (customer_id)\ngroup by 1, 2, 3\norder by invoiced_total desc\nlimit 100",
    'select v.customer_id, v.first_name, v.invoiced_total, count(t.touch_id) as touches\nfrom "dbt"."main_finance"."dim_customer_value" as v\nleft join "dbt"."main_marketing"."campaign_touches" as t using (customer_id)\ngroup by 1, 2, 3\norder by invoiced_total desc\nlimit 100',
    [f"model.{FIN}.dim_customer_value", "model.bouncer_marketing.campaign_touches"], [("dim_customer_value", FIN, None), ("campaign_touches", "bouncer_marketing", None)],
    desc="The hundred customers invoiced most, with their campaign touches.",
    cols=[("customer_id", "The customer."), ("first_name", "Their first name."), ("invoiced_total", "All they were invoiced."), ("touches", "Campaign touches.")])
nodes[u] = n
u, n = exposure(REP, 'top_customers_deck', [f"model.{REP}.rpt_top_customers"], ["rpt_top_customers"], "The quarterly deck's top customers slide.", {"name": "Sales ops", "email": "sales-ops@example.com"}); exposures[u] = n
os.makedirs(f"{OUT}/{REP}", exist_ok=True)
json.dump(manifest(REP, nodes, sources, exposures, "2026-08-20T14:20:00.000000Z", "0b7e3c55-8d1a-4f26-b3e9-5c2a9d4e7f02"), open(f"{OUT}/{REP}/manifest.json", "w"), indent=2, sort_keys=True)

# Two projects that ref each other's public models (no cycle between
# models): p_a's a1 (from a source) -> p_b's b1 -> p_a's a2.
nodes, sources = {}, {}
u, n = source('p_a', 'raw', 'events', 'db', 'raw', 'Raw events.'); sources[u] = n
u, n = model('p_a', 'db', 'a', 'a1', 'core', "select id, kind from {{ source('raw', 'events') }}",
    'select id, kind from "db"."raw"."events"', ["source.p_a.raw.events"], [], sources=[("raw", "events")],
    desc="Events, cleaned.", cols=[("id", "The event."), ("kind", "What happened.")], access='public')
nodes[u] = n
u, n = external('p_b', 'b1', 'db', 'main_b', 'b1', ['model.p_a.a1']); nodes[u] = n
u, n = model('p_a', 'db', 'a', 'a2', 'marts', "select id, kind_count from {{ ref('p_b', 'b1') }}",
    'select id, kind_count from "db"."main_b"."b1"', ["model.p_b.b1"], [("b1", "p_b", None)],
    desc="What p_b made of a1, back in p_a.", cols=[("id", "The event."), ("kind_count", "Events of its kind.")])
nodes[u] = n
os.makedirs(f"{OUT}/bidirectional/p_a", exist_ok=True)
json.dump(manifest('p_a', nodes, sources, {}, "2026-09-01T10:00:00.000000Z", "1d2c3b4a-0000-4000-8000-00000000000a"), open(f"{OUT}/bidirectional/p_a/manifest.json", "w"), indent=2, sort_keys=True)
nodes = {}
u, n = external('p_a', 'a1', 'db', 'main_a', 'a1', ['source.p_a.raw.events']); nodes[u] = n
u, n = model('p_b', 'db', 'b', 'b1', 'core', "select id, count(*) over (partition by kind) as kind_count from {{ ref('p_a', 'a1') }}",
    'select id, count(*) over (partition by kind) as kind_count from "db"."main_a"."a1"', ["model.p_a.a1"], [("a1", "p_a", None)],
    desc="Each event with how many of its kind.", cols=[("id", "The event."), ("kind_count", "Events of its kind.")], access='public')
nodes[u] = n
os.makedirs(f"{OUT}/bidirectional/p_b", exist_ok=True)
json.dump(manifest('p_b', nodes, {}, {}, "2026-09-01T10:05:00.000000Z", "1d2c3b4a-0000-4000-8000-00000000000b"), open(f"{OUT}/bidirectional/p_b/manifest.json", "w"), indent=2, sort_keys=True)
