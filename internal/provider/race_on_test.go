//go:build race

package provider

// raceDetector tells tests whose figure the race detector distorts (it
// multiplies memory use 5-10 times) that it is on.
const raceDetector = true
