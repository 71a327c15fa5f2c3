package backend

import "time"

// WatchedFolder is a dbt target/ folder the app keeps watching, imported
// after each dbt run written there, across launches.
type WatchedFolder struct {
	Folder string    `json:"folder"` // Paths, absolute, joined with ", "
	Paths  []string  `json:"paths"`
	Name   string    `json:"name,omitempty"` // the snapshots' name, "" for the project's
	Since  time.Time `json:"since"`
}
