"""Likes on discussion topics and gallery photos: one per account or per browser."""
