"""The build and its stages: workspace, build, release, serving."""
