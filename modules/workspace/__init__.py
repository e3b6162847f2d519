"""The merchant web shell: layout, navigation and the dashboard."""
