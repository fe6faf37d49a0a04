"""Residents (people) and their stays: applied, waitlisted, admitted, exited."""
