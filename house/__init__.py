"""house: software for running sober-living houses."""
