"""Small pieces of UI shared by several pages."""
