"""What is kept between runs: history, questionnaire answers, accepted exceptions, and their serialised form."""
