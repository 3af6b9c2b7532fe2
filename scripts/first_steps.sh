#!/usr/bin/env bash
# Print the demo API key and a first request after `make run`.
key=$1
cat <<TEXT

Notifier is running on http://127.0.0.1:8000 (admin: /admin/, API docs: /api/docs/).
Demo tenant API key, new on each make run and saved in var/demo_api_key:

    $key

Register a recipient and send a first notification:

    export NOTIFIER_KEY=$key
    curl -s -X PUT http://127.0.0.1:8000/recipients/alice \\
      -H "Authorization: Bearer \$NOTIFIER_KEY" -H "Content-Type: application/json" \\
      -d '{"email": "alice@example.com", "phone": "+886912345678", "push_tokens": [{"token": "device-token-1", "platform": "android"}]}'
    curl -s -X POST http://127.0.0.1:8000/notify \\
      -H "Authorization: Bearer \$NOTIFIER_KEY" -H "Content-Type: application/json" \\
      -d '{"channels": ["email", "sms"], "recipient_ids": ["alice"], "subject": "Hello", "message": "First message"}'

Received email: var/sinks/smtp.jsonl. Received SMS and push: var/sinks/sandbox.jsonl
or http://127.0.0.1:8025/v1/messages. Logs: var/log/. Stop everything: make stop.
TEXT
