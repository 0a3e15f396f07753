from django.urls import path

from .applications.views import ApplyView, confirm_round_application
from .comments.views import CommentPostView, confirm_subscription, unsubscribe
from .health.views import check_in
from .likes.views import like
from .mailin.views import confirm_photos
from .mailings.follow import FollowView, confirm_follow, leave
from .mailings.views import unsubscribe as topic_unsubscribe
from .photos.views import PhotoSubmitView, withdraw_photo
from .privacy.views import my_data, request_my_data
from .topics.feeds import TopicAtomFeed, TopicFeed
from .topics.navigation import topic_search

app_name = "wagtail_iln"

urlpatterns = [
    path("iln/topics/<int:index_id>/rss/", TopicFeed.view, name="topics_rss"),
    path("iln/topics/<int:index_id>/atom/", TopicAtomFeed.view, name="topics_atom"),
    path("iln/search/", topic_search, name="topic_search"),
    path("iln/photos/<int:pk>/submit/", PhotoSubmitView.as_view(), name="photo_submit"),
    path("iln/photos/withdraw/<str:token>/", withdraw_photo, name="photo_withdraw"),
    path("iln/photos/confirm/<str:token>/", confirm_photos, name="mail_photo_confirm"),
    path("iln/rounds/<int:pk>/apply/", ApplyView.as_view(), name="round_apply"),
    path("iln/rounds/confirm/<str:token>/", confirm_round_application, name="round_apply_confirm"),
    path("iln/my-data/", request_my_data, name="my_data_request"),
    path("iln/my-data/<str:token>/", my_data, name="my_data"),
    path("iln/check-in/<str:token>/<str:answer>/", check_in, name="check_in"),
    path("iln/likes/<str:kind>/<int:pk>/", like, name="like"),
    path("iln/comments/<int:pk>/post/", CommentPostView.as_view(), name="comment_post"),
    path("iln/comments/confirm/<str:token>/", confirm_subscription, name="comment_confirm"),
    path("iln/comments/unsubscribe/<str:token>/", unsubscribe, name="comment_unsubscribe"),
    path("iln/topics/unsubscribe/<str:token>/", topic_unsubscribe, name="topic_unsubscribe"),
    path("iln/discussions/<int:pk>/follow/", FollowView.as_view(), name="follow"),
    path("iln/discussions/confirm/<str:token>/", confirm_follow, name="follow_confirm"),
    path("iln/discussions/leave/<str:token>/", leave, name="follow_leave"),
]
