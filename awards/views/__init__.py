"""The awards pages: deliberation (H-delib), publication and documents."""
