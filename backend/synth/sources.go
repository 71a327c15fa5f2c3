package synth

import (
	"fmt"
	"time"
)

// writeSources writes sources.json (v3) as `dbt source freshness` does:
// mostly pass, some warn/error, and the odd runtime error.
func (e *environment) writeSources(j *jsonWriter) {
	at := e.generatedAt.Add(-20 * time.Minute)
	j.obj()
	j.keyObj("metadata")
	j.kStr("dbt_schema_version", sourcesSchema)
	j.kStr("dbt_version", dbtVersion)
	j.kStr("generated_at", ts(at.Add(45*time.Second)))
	j.kStr("invocation_id", e.invocationID)
	j.kStr("invocation_started_at", ts(at))
	j.kRaw("env", "{}")
	j.endObj()
	j.keyArr("results")
	s, end := e.p.rangeOf(rtSource)
	for i := s; i < end; i++ {
		n := &e.p.nodes[i]
		warn, errAfter := e.freshnessHours(i)
		f := e.p.rng(i, 9)
		j.obj()
		j.kStr("unique_id", n.id)
		if f.IntN(100) < 2 {
			j.kStr("error", fmt.Sprintf("Database Error in source %s: column \"_%s_synced\" does not exist", n.name, n.loader))
			j.kStr("status", "runtime error")
			j.endObj()
			continue
		}
		var age time.Duration
		status := "pass"
		switch u := f.IntN(100); {
		case u < 6:
			age, status = time.Duration(errAfter+1+f.IntN(48))*time.Hour, "error"
		case u < 18:
			age, status = time.Duration(warn)*time.Hour+time.Duration(f.IntN((errAfter-warn)*3600))*time.Second, "warn"
		default:
			age = time.Duration(f.IntN(warn*3600)) * time.Second
		}
		snapshotted := at.Add(time.Duration(i-s) * 120 * time.Millisecond)
		j.kStr("max_loaded_at", snapshotted.Add(-age).Format("2006-01-02T15:04:05.000000+00:00"))
		j.kStr("snapshotted_at", snapshotted.Format("2006-01-02T15:04:05.000000+00:00"))
		j.kFloat("max_loaded_at_time_ago_in_s", age.Seconds(), 1)
		j.kStr("status", status)
		j.kRaw("criteria", fmt.Sprintf(`{"warn_after": {"count": %d, "period": "hour"}, "error_after": {"count": %d, "period": "hour"}, "filter": null}`, warn, errAfter))
		j.kRaw("adapter_response", `{"_message": "OK"}`)
		j.keyArr("timing")
		j.obj()
		j.kStr("name", "execute")
		j.kStr("started_at", ts(snapshotted.Add(-90*time.Millisecond)))
		j.kStr("completed_at", ts(snapshotted))
		j.endObj()
		j.endArr()
		j.kStr("thread_id", fmt.Sprintf("Thread-%d (worker)", 1+(i-s)%8))
		j.kFloat("execution_time", 0.09+float64(f.IntN(400))/1000, 3)
		j.endObj()
	}
	j.endArr()
	j.kFloat("elapsed_time", 45+float64(end-s)*0.12, 3)
	j.endObj()
}

// freshnessHours are source i's warn_after and error_after thresholds;
// error_after is always at least 6 hours past warn_after.
func (e *environment) freshnessHours(i int) (warn, errAfter int) {
	r := e.p.rng(i, 10)
	return 6 * (1 + r.IntN(3)), 24 * (1 + r.IntN(2))
}
