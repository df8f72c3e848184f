// Package reports turns observed request records and controller timelines
// into scores, and results into HTML, Markdown and JUnit reports.
package reports
