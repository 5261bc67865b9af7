module github.com/careerbot/careerbot

go 1.26.0

require (
	github.com/gorilla/websocket v1.5.3
	github.com/joho/godotenv v1.5.1
	go.uber.org/goleak v1.3.0
)

require (
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
)
