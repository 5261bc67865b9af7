module github.com/careerbot/careerbot

go 1.26.0

require github.com/joho/godotenv v1.5.1

require (
	github.com/philippgille/chromem-go v0.7.0 // indirect
	github.com/sashabaranov/go-openai v1.43.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
