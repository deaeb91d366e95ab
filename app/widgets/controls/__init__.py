"""Controls: keyed widgets that start from the session's value, step/play, keyboard
shortcuts, share QR codes."""
