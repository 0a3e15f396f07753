from django.urls import path

from .topics.feeds import TopicAtomFeed, TopicFeed

app_name = "wagtail_iln"

urlpatterns = [
    path("iln/topics/<int:index_id>/rss/", TopicFeed.view, name="topics_rss"),
    path("iln/topics/<int:index_id>/atom/", TopicAtomFeed.view, name="topics_atom"),
]
