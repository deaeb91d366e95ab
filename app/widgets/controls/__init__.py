"""Controls that are not settings: step/play, keyboard shortcuts, share QR codes."""
