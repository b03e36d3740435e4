"""The labelled passage corpus: where passages come from, how labels are stored, how splits are made."""
