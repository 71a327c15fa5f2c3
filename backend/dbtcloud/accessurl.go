package dbtcloud

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Multi-tenant hosts that predate cell hosts. A cell-hosted account answers
// 401 "Invalid token." on these, which is why errors from them suggest the
// account's own access URL.
var legacyHosts = map[string]bool{
	"cloud.getdbt.com": true,
	"emea.dbt.com":     true,
	"au.dbt.com":       true,
}

// cellHost matches ACCOUNT_PREFIX.REGION.dbt.com, e.g. ab123.us1.dbt.com.
var cellHost = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.(us|eu|au|jp)[0-9]+\.dbt\.com$`)

// hostLabel is one DNS label.
var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// NormalizeAccessURL turns what a user pasted into the access URL setting
// into the base the API lives under: "https://host[:port]". It adds the
// https scheme, lower-cases the host, and drops trailing slashes and any
// path, query or fragment (people paste https://cloud.getdbt.com/#/... or
// .../api/v2/). A Discovery API host (ab123.metadata.us1.dbt.com or
// metadata.cloud.getdbt.com) is turned into its REST host. Plain http is
// accepted only for loopback addresses (local fakes and proxies).
func NormalizeAccessURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", invalidAccessURL(raw, "it is empty; use your account's access URL, e.g. https://ab123.us1.dbt.com (Account settings in dbt Cloud)")
	}
	// dbt-mcp has seen a doubled scheme pasted into a prefilled field.
	for _, doubled := range []string{"https://https://", "https://http://", "http://https://"} {
		if strings.HasPrefix(strings.ToLower(s), doubled) {
			s = s[len("https://"):]
			if strings.HasPrefix(strings.ToLower(s), "//") {
				s = s[2:]
			}
		}
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", invalidAccessURL(raw, "it is not a URL")
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", invalidAccessURL(raw, "only https:// addresses are dbt Cloud access URLs")
	}
	if u.User != nil {
		return "", invalidAccessURL(raw, "it contains a user name or password; put the token in the token field instead")
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if host == "" {
		return "", invalidAccessURL(raw, "it has no host name")
	}
	loopback := host == "localhost"
	if ip := net.ParseIP(host); ip != nil {
		loopback = ip.IsLoopback()
	} else if !validHostname(host) {
		return "", invalidAccessURL(raw, "the host name is not valid")
	}
	if scheme == "http" && !loopback {
		return "", invalidAccessURL(raw, "plain http would send the token unencrypted; use https://")
	}
	host = restHost(host)
	out := scheme + "://" + host
	if strings.Contains(host, ":") { // IPv6 literal
		out = scheme + "://[" + host + "]"
	}
	if port != "" {
		out += ":" + port
	}
	return out, nil
}

func validHostname(host string) bool {
	if host == "localhost" {
		return true
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 || len(host) > 253 {
		return false
	}
	for _, l := range labels {
		if !hostLabel.MatchString(l) {
			return false
		}
	}
	// The top-level domain is never numeric.
	return strings.IndexFunc(labels[len(labels)-1], func(r rune) bool { return r < '0' || r > '9' }) >= 0
}

// restHost maps a pasted Discovery API host to the REST host of the same
// account: metadata.cloud.getdbt.com -> cloud.getdbt.com,
// ab123.metadata.us1.dbt.com -> ab123.us1.dbt.com.
func restHost(host string) string {
	if h, ok := strings.CutPrefix(host, "metadata."); ok && legacyHosts[h] {
		return h
	}
	if prefix, rest, ok := strings.Cut(host, ".metadata."); ok {
		if candidate := prefix + "." + rest; cellHost.MatchString(candidate) {
			return candidate
		}
	}
	return host
}

// IsLegacyHost reports whether a normalised access URL is one of the shared
// multi-tenant hosts (cloud.getdbt.com, emea.dbt.com, au.dbt.com).
func IsLegacyHost(accessURL string) bool {
	u, err := url.Parse(accessURL)
	return err == nil && legacyHosts[strings.ToLower(u.Hostname())]
}

// LegacyHostWarning says what to do about a connection to a shared region
// host, "" for another access URL: dbt Labs gave every multi-tenant
// account an access URL of its own (all of them by January 2026) and
// retired the getdbt.com region URLs on November 1, 2026.
func LegacyHostWarning(accessURL string) string {
	if !IsLegacyHost(accessURL) {
		return ""
	}
	return fmt.Sprintf("%s is a shared region access URL, which dbt Labs replaced with one per account (like https://ab123.us1.dbt.com; the getdbt.com ones were retired on November 1, 2026): copy your account's access URL from Account settings in dbt Cloud and save the connection with it", accessURL)
}

// IsCellHost reports whether a normalised access URL is a cell host,
// ACCOUNT_PREFIX.REGION.dbt.com.
func IsCellHost(accessURL string) bool {
	u, err := url.Parse(accessURL)
	return err == nil && cellHost.MatchString(strings.ToLower(u.Hostname()))
}

func invalidAccessURL(raw, why string) error {
	return backend.Errorf(backend.EINVALID, "dbt Cloud access URL %q: %s", raw, why)
}
